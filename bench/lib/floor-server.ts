// The floor under fan-out: a bare ws server in its own process that, every second, frames one
// ServerControl-sized stats_update once and writes it to every client, exactly as the agent's broadcast
// does, and does nothing else (no sampling, no protocol). The bench reads it with the same clients and the
// same clock as the agent, so the two "sample to last client" figures and the two CPU figures compare like
// with like. It also times its own send loop, framing to the last write: what 1,000 loopback writes take
// a Node server that does nothing else, before any client has read.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const FLOOR_SERVER = `
const { WebSocketServer, Sender } = await import('ws');
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => process.stdout.write(server.address().port + '\\n'));
setInterval(() => {
  const started = performance.now();
  const text = JSON.stringify({ type: 'stats_update', timestamp: Date.now(), cpu_usage: 12.5, memory_used: 1234567890, memory_total: 25769803776, uptime: 123456 });
  const frame = Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
  for (const client of server.clients) client._sender.sendFrame([frame]);
  if (server.clients.size > 0) process.stdout.write(server.clients.size + ' ' + (performance.now() - started) + '\\n');
}, 1000);
`;

export interface FloorServer {
  url: string;
  pid: number;
  /** Starts recording the send loop's duration afresh, for loops that reached `clients` clients. */
  recordLoops(clients: number): void;
  /** Milliseconds each recorded send loop took, from framing to the last write. */
  loopMs(): number[];
  stop(): void;
}

export async function startFloorServer(): Promise<FloorServer> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', FLOOR_SERVER], { cwd: path.join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code}) before listening`)));
    lines.once('line', resolve);
  });
  let wanted = Number.POSITIVE_INFINITY;
  let loops: number[] = [];
  lines.on('line', (line) => {
    const [clients, ms] = line.split(' ').map(Number);
    if (clients === wanted && ms !== undefined) loops.push(ms);
  });
  return {
    url: `ws://127.0.0.1:${port}/`,
    pid: child.pid!,
    recordLoops(clients) {
      wanted = clients;
      loops = [];
    },
    loopMs: () => loops,
    stop: () => child.kill(),
  };
}
