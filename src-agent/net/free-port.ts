// A TCP port free on loopback right now: for a server started a moment later on a port chosen ahead (the
// desktop app's hub, which keeps its port across restarts; tests). It may in rare cases be taken by then.

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
