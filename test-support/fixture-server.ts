// Small WebSocket servers that behave like real third-party servers, for client and detection tests:
// either replaying a recorded session or following a script written from PROTOCOLS.md.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { loadSession } from './recorded-session';

export interface FixtureServer {
  port: number;
  url(path?: string, query?: string): string;
  /** Every frame any client sent, as text (binary frames as hex). */
  received: string[];
  connections: number;
  close(): Promise<void>;
}

export interface FixtureOptions {
  /** Answer the upgrade with this HTTP status instead of upgrading (e.g. 401 without a secret). */
  rejectUpgrade?(url: URL): number | null;
  onConnection(socket: WebSocket, url: URL, received: string[]): void;
  port?: number;
}

export async function startFixtureServer(options: FixtureOptions): Promise<FixtureServer> {
  const received: string[] = [];
  const server = http.createServer((_request, response) => response.writeHead(426).end());
  const wss = new WebSocketServer({ noServer: true });
  const state = { connections: 0 };
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://fixture.invalid');
    const status = options.rejectUpgrade?.(url) ?? null;
    if (status !== null) {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      state.connections += 1;
      ws.on('error', () => {});
      ws.on('message', (data, isBinary) => received.push(isBinary ? Buffer.from(data as Buffer).toString('hex') : data.toString()));
      options.onConnection(ws, url, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    get connections() {
      return state.connections;
    },
    url: (path = '/ws', query = '') => `ws://127.0.0.1:${port}${path}${query}`,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Replays the server side of a recorded session to each client, `speed` times faster than recorded. */
export function replaySession(file: string, speed = 1): FixtureOptions['onConnection'] {
  const events = loadSession(file);
  const openAt = events.find((event) => event.ev === 'open')?.t_ms ?? 0;
  return (socket) => {
    const timers = events.flatMap((event) => {
      if (event.ev !== 'message' && event.ev !== 'close') return [];
      return [
        setTimeout(
          () => {
            if (event.ev === 'message') socket.send(event.binary ? Buffer.from(event.data, 'base64') : event.data);
            else socket.close(event.code);
          },
          Math.max(0, (event.t_ms - openAt) / speed),
        ),
      ];
    });
    socket.on('close', () => timers.forEach(clearTimeout));
  };
}
