// The floor under fan-out latency: how long a bare Node loop takes to write one small frame to each of
// many loopback TCP sockets, as the agent's broadcast does. On loopback the kernel runs the receiver's TCP
// path inside each write, so this is most of what the agent's own send loop costs.

import net from 'node:net';
import { percentile } from './stats';

const ROUNDS = 30;
const ROUND_GAP_MS = 200;
/** About one ServerControl stats_update frame. */
const FRAME = Buffer.alloc(110, 0x61);

export interface WriteFloor {
  p50Ms: number;
  p99Ms: number;
}

export async function measureWriteFloor(count: number): Promise<WriteFloor> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    accepted.push(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const clients: net.Socket[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const client = net.connect(port, '127.0.0.1');
      client.on('data', () => {});
      clients.push(client);
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
    }
    while (accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      for (const socket of accepted) socket.write(FRAME);
      rounds.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, ROUND_GAP_MS));
    }
    return { p50Ms: percentile(rounds, 50), p99Ms: percentile(rounds, 99) };
  } finally {
    for (const socket of [...clients, ...accepted]) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
