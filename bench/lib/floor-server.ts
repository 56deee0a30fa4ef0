// The floor under fan-out latency: a bare ws server in its own process that, every second, frames one
// ServerControl-sized stats_update once and writes it to every client, exactly as the agent's broadcast
// does, and does nothing else (no sampling, no protocol). The bench reads it with the same clients and the
// same clock as the agent, so the two "sample to last client" figures compare like with like: what the
// floor shows is the kernel's loopback writes plus the bench's own clients reading 1,000 messages.

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const FLOOR_SERVER = `
const { WebSocketServer, Sender } = await import('ws');
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => process.stdout.write(server.address().port + '\\n'));
setInterval(() => {
  const text = JSON.stringify({ type: 'stats_update', timestamp: Date.now(), cpu_usage: 12.5, memory_used: 1234567890, memory_total: 25769803776, uptime: 123456 });
  const frame = Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }));
  for (const client of server.clients) client._sender.sendFrame([frame]);
}, 1000);
`;

export interface FloorServer {
  url: string;
  stop(): void;
}

export async function startFloorServer(): Promise<FloorServer> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', FLOOR_SERVER], { cwd: path.join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the floor server exited (${code}) before listening`)));
    createInterface({ input: child.stdout! }).once('line', resolve);
  });
  return { url: `ws://127.0.0.1:${port}/`, stop: () => child.kill() };
}
