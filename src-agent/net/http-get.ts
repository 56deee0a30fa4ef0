// proto's HttpGet on Node: one GET with a deadline for the whole answer and a cap on its body, so a slow or
// endless server costs a poll, never the hub. Credentials in the URL become headers: user:password as HTTP
// basic auth, `?token=` as a bearer token (and stays out of the request line).

import type { HttpAnswer, HttpGet, HttpGetOptions } from '../../proto/http-source';
import { queryParams, withoutCredentials } from '../../proto/target';
import { http, https } from './node-http';

/** Never throws: every failure, a malformed URL included, is a rejection whose message holds no credential. */
export const nodeHttpGet: HttpGet = async (url, options) => {
  let parsed: URL;
  let headers: Record<string, string>;
  try {
    parsed = new URL(url);
    headers = requestHeaders(parsed, options);
  } catch {
    throw new Error(`"${withoutCredentials(url)}" is not a URL this hub can request`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`${parsed.protocol}// is not HTTP`);
  return get(parsed, headers, options);
};

/** Takes the credentials out of the URL and into headers: a token never travels in the request line. */
function requestHeaders(url: URL, options: HttpGetOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.1', ...options.headers };
  if (url.username || url.password) {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = url.password = '';
  }
  const token = queryParams(url.search).get('token');
  if (token) {
    headers.authorization = `Bearer ${token}`;
    url.searchParams.delete('token');
  }
  return headers;
}

function get(url: URL, headers: Record<string, string>, options: HttpGetOptions): Promise<HttpAnswer> {
  const transport = url.protocol === 'https:' ? https() : http;
  return new Promise((resolve, reject) => {
    const request = transport.get(url, { headers, agent: false }, (response) => {
      // Not followed: a redirect could carry the credentials to another host. Where it points is worth saying.
      const location = response.headers.location;
      if (location && (response.statusCode ?? 0) >= 300 && (response.statusCode ?? 0) < 400) {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, contentType: '', body: `redirected to ${withoutCredentials(location).slice(0, 200)}` });
        return;
      }
      const declared = Number(response.headers['content-length']);
      if (declared > options.maxBytes) {
        request.destroy();
        reject(new Error(`the answer is ${megabytes(declared)}, over the ${megabytes(options.maxBytes)} this source accepts`));
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > options.maxBytes) {
          request.destroy();
          reject(new Error(`the answer grew past the ${megabytes(options.maxBytes)} this source accepts`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, contentType: (response.headers['content-type'] ?? '').toLowerCase(), body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (error) => reject(error));
    });
    request.setTimeout(options.timeoutMs);
    const deadline = setTimeout(() => {
      request.destroy();
      reject(new Error(`no complete answer within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => {
      request.destroy();
      reject(new Error(`no answer within ${options.timeoutMs} ms`));
    });
    request.on('error', (error) => reject(error));
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MB`;
}
