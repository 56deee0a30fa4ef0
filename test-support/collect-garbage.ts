// Runs a full garbage collection in another Node process through its inspector (started with
// --inspect=127.0.0.1:0), so a memory reading afterwards shows what the process still holds rather than
// how long ago V8 last collected: an idle process may not collect for minutes.

import WebSocket from 'ws';

/** The inspector address a process printed on stderr ("Debugger listening on ws://…"). */
export function inspectorUrl(stderr: readonly string[]): string {
  for (const line of stderr) {
    const match = /Debugger listening on (ws:\/\/\S+)/.exec(line);
    if (match) return match[1]!;
  }
  throw new Error('the process printed no inspector address; was it started with --inspect=127.0.0.1:0?');
}

export function collectGarbage(url: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`no answer from the inspector at ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
    socket.on('message', (data) => {
      const reply = JSON.parse(data.toString()) as { id?: number; error?: { message: string } };
      if (reply.id !== 1) return;
      clearTimeout(timer);
      socket.close();
      if (reply.error) reject(new Error(reply.error.message));
      else resolve();
    });
  });
}
