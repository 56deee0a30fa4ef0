// A TCP port free on loopback right now, for the hub's page: chosen once per launch and kept across the
// hub's restarts, so the window's address and the cookie it holds stay the same.

import net from 'node:net';

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
