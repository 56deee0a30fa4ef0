// A loopback TCP port that accepts connections and never answers: a WebSocket to it stays connecting, as
// one to a firewalled port that drops packets does.

import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface BlackHole {
  port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startBlackHole(): Promise<BlackHole> {
  const held: Socket[] = [];
  const server = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return held.length;
    },
    close: () => {
      held.forEach((socket) => socket.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
