// Many machines on loopback in one process: a fixture for a fleet these machines do not have. Each fake
// is a real WebSocket server on its own port speaking one protocol through proto's own encoders
// (ServerControl: a stats_update to every client each interval and pong for ping; the GPU usage stream:
// subscribed, system_info, then a usage_update each interval), with a CPU that wanders per host. One timer
// drives them all, so hundreds cost little.

import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeSubscribed, encodeSystemInfo, encodeUsageUpdate, SUBSCRIBE_MESSAGE } from '../proto/gpu-usage/wire';
import type { HostInfo, Snapshot } from '../proto/model';
import { encodePong, encodeStatsUpdate, PING_MESSAGE } from '../proto/servercontrol/wire';

export type FakeProtocol = 'servercontrol' | 'gpu-usage';

export interface FakeHost {
  protocol: FakeProtocol;
  hostname: string;
  port: number;
  /** What a user would type to add it. */
  target: string;
}

export interface FakeFleet {
  hosts: FakeHost[];
  /** Clients connected right now, across every fake. */
  connections(): number;
  close(): Promise<void>;
}

const GIB = 1024 ** 3;

export async function startFakeFleet(counts: Partial<Record<FakeProtocol, number>>, intervalMs = 1000): Promise<FakeFleet> {
  const servers: WebSocketServer[] = [];
  const hosts: FakeHost[] = [];
  const streams: { clients: Set<WebSocket>; send(client: WebSocket, nowMs: number): void }[] = [];
  let index = 0;
  for (const [protocol, count] of Object.entries(counts) as [FakeProtocol, number][]) {
    for (let n = 0; n < count; n += 1) {
      const hostname = `fake-${protocol}-${String(n + 1).padStart(4, '0')}`;
      const host: HostInfo = { id: hostname, hostname, cpu: { model: 'Fake CPU', cores: 8 }, memoryTotalBytes: 32 * GIB };
      const seed = index++;
      const snapshot = (nowMs: number): Snapshot => {
        const cpu = 20 + 15 * Math.sin(nowMs / 20_000 + seed) + (seed % 7);
        return { host, sample: { timeMs: nowMs, cpu: { totalPercent: cpu }, memory: { usedPercent: 40 + (seed % 30), usedBytes: (0.4 + (seed % 30) / 100) * 32 * GIB, totalBytes: 32 * GIB } } };
      };
      const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
      servers.push(server);
      const clients = new Set<WebSocket>();
      const send = (client: WebSocket, nowMs: number): void => {
        const { sample } = snapshot(nowMs);
        client.send(JSON.stringify(protocol === 'servercontrol' ? encodeStatsUpdate(snapshot(nowMs)) : encodeUsageUpdate(sample)));
      };
      server.on('connection', (client) => {
        client.on('error', () => client.terminate());
        client.on('close', () => clients.delete(client));
        if (protocol === 'servercontrol') {
          clients.add(client);
          send(client, Date.now());
          client.on('message', (data) => {
            if (String(data) === PING_MESSAGE) client.send(JSON.stringify(encodePong(Date.now())));
          });
          return;
        }
        client.on('message', (data) => {
          if (String(data) !== SUBSCRIBE_MESSAGE || clients.has(client)) return;
          client.send(JSON.stringify(encodeSubscribed()));
          client.send(JSON.stringify(encodeSystemInfo(host, Date.now())));
          clients.add(client);
          send(client, Date.now());
        });
      });
      streams.push({ clients, send });
      const port = (server.address() as AddressInfo).port;
      hosts.push({ protocol, hostname, port, target: `127.0.0.1:${port}` });
    }
  }
  const timer = setInterval(() => {
    const nowMs = Date.now();
    for (const stream of streams) for (const client of stream.clients) stream.send(client, nowMs);
  }, intervalMs);
  return {
    hosts,
    connections: () => streams.reduce((sum, stream) => sum + stream.clients.size, 0),
    async close() {
      clearInterval(timer);
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              for (const client of server.clients) client.terminate();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
