// Reads an HTTP request body up to a limit; a larger one (declared or sent) is refused with 413 and never
// buffered past the limit. RequestError carries the status a handler answers with.

import type { IncomingMessage } from 'node:http';

export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length']);
    if (declared > maxBytes) return reject(new RequestError(413, `The body is larger than ${maxBytes} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners('data');
        request.removeAllListeners('end');
        request.pause();
        reject(new RequestError(413, `The body is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
