// Bench clients that behave as each protocol's documented client does, opened in bounded batches.

import WebSocket from 'ws';

export interface OpenClients {
  sockets: WebSocket[];
  close(): Promise<void>;
}

/** Opens `count` sockets, `batch` at a time, each running `onOpen`; rejects after `timeoutMs`. */
export async function openClients(url: string, count: number, onOpen: (socket: WebSocket, index: number) => void = () => {}, batch = 50, timeoutMs = 60_000): Promise<OpenClients> {
  const sockets = await openInBatches(count, batch, timeoutMs, 'clients', (index) =>
    new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.once('open', () => {
        onOpen(socket, index);
        resolve(socket);
      });
      socket.once('error', reject);
    }),
  );
  return {
    sockets,
    close: () => terminateAll(sockets),
  };
}

/** Runs `open` for indexes 0 to `count` - 1, `batch` at a time, and resolves with what each opened; rejects after `timeoutMs`. */
export async function openInBatches<T>(count: number, batch: number, timeoutMs: number, what: string, open: (index: number) => Promise<T>): Promise<T[]> {
  const opened: T[] = [];
  const deadline = Date.now() + timeoutMs;
  for (let first = 0; first < count; first += batch) {
    if (Date.now() > deadline) throw new Error(`opened only ${opened.length} of ${count} ${what} within ${timeoutMs} ms`);
    opened.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - first) }, (_, offset) => open(first + offset)))));
  }
  return opened;
}

/** Drops every socket at once and resolves when all are closed. */
export async function terminateAll(sockets: readonly WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.terminate();
        }),
    ),
  );
}
