// A loopback port nothing listens on right now, for a server a test starts later on a known port. The port
// is free when this resolves; a test that waits long before using it may in rare cases find it taken.

import net from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
