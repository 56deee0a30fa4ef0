import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../test-support/fixture-server';
import { sleep } from '../../../test-support/ws-recorder';
import { createLogger } from '../../log';
import { SystemSampler } from '../../sampler/sampler';
import { BACKLOG_FILE, PUSH_AGENT_VERSION, startPush } from './push-client';
import { freePort } from '../../../test-support/free-port';
import { cleanupAfterEach } from '../../../test-support/cleanups';
import { tempDataDir } from '../../../test-support/test-agent';

const TOKEN = 'push-test-token-123';
const FAST_BACKOFF = { initialMs: 100, maxMs: 200, jitter: 0 };
const sampler = new SystemSampler();

const cleanups = cleanupAfterEach();

async function hub(options: Parameters<typeof startFixtureServer>[0]): Promise<FixtureServer> {
  const server = await startFixtureServer(options);
  cleanups.push(() => server.close());
  return server;
}

function push(url: string, intervalMs = 200, dataDir = tempDataDir(), extra: Partial<Parameters<typeof startPush>[0]> = {}) {
  const logs: string[] = [];
  const pusher = startPush({ url, serverId: 'pusher-1', intervalMs, sampler, log: createLogger('debug', (line) => logs.push(line)), backoff: FAST_BACKOFF, dataDir, ...extra });
  cleanups.push(() => pusher.close());
  return { logs, pusher };
}

function backlogLines(dataDir: string): string[] {
  const file = path.join(dataDir, BACKLOG_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** A pusher to a port where no hub listens yet, stopped once it has kept `count` readings in its backlog. */
async function keptWhileUnreachable(count: number): Promise<{ port: number; dataDir: string; url: string }> {
  const port = await freePort();
  const dataDir = tempDataDir();
  const url = `ws://127.0.0.1:${port}/ws/agent?token=${TOKEN}`;
  const { pusher } = push(url, 100, dataDir);
  await until(() => backlogLines(dataDir).length >= count, 5000, `${count} readings kept`);
  pusher.close();
  return { port, dataDir, url };
}

/** A hub that answers auth with `last_seen` and acknowledges each batch (or none, when `ack` is false). */
function backfillHub(lastSeen: () => string | undefined, ack = true): Parameters<typeof startFixtureServer>[0] {
  return {
    onConnection(socket) {
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString()) as { type: string; batch_id?: string; metrics?: unknown[] };
        if (message.type === 'auth') socket.send(JSON.stringify({ type: 'auth', status: 'ok', ...(lastSeen() ? { last_seen: lastSeen() } : {}) }));
        if (message.type === 'batch_metrics' && ack) socket.send(JSON.stringify({ type: 'batch_ack', batch_id: message.batch_id, accepted: message.metrics?.length ?? 0, rejected: 0 }));
      });
    },
  };
}

async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const startedAt = Date.now(); !predicate(); await sleep(20)) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`${what} not reached within ${timeoutMs} ms`);
  }
}

const parsed = (server: FixtureServer) => server.received.map((text) => JSON.parse(text) as Record<string, unknown>);

describe('vstats push client', () => {
  it('authenticates with the real auth message, then sends a heartbeat and metrics every interval under both keys', async () => {
    const server = await hub({ onConnection: () => {} });
    push(server.url('/ws/agent', `?token=${TOKEN}`));
    await until(() => parsed(server).filter((message) => message.type === 'metrics').length >= 3, 5000, 'three metrics');
    const messages = parsed(server);
    expect(messages[0]).toEqual({ type: 'auth', server_id: 'pusher-1', token: TOKEN, version: PUSH_AGENT_VERSION });
    expect(messages[1]).toEqual({ type: 'heartbeat', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    const metrics = messages.find((message) => message.type === 'metrics') as { data: Record<string, unknown>; metrics: unknown };
    expect(metrics.metrics).toEqual(metrics.data);
    expect(metrics.data).toMatchObject({ hostname: os.hostname(), cpu: { cores: expect.any(Number), usage: expect.any(Number) }, memory: { total: expect.any(Number) }, uptime: expect.any(Number) });
    expect(Array.isArray(metrics.data.disks)).toBe(true);
  });

  it('reconnects with backoff when the hub drops the connection', async () => {
    const openedAt: number[] = [];
    const server = await hub({
      onConnection(socket) {
        openedAt.push(Date.now());
        if (openedAt.length === 1) socket.close();
      },
    });
    const { logs } = push(server.url('/ws/agent', `?token=${TOKEN}`));
    await until(() => openedAt.length === 2, 3000, 'a second connection');
    expect(openedAt[1]! - openedAt[0]!).toBeGreaterThanOrEqual(90);
    expect(logs.some((line) => line.includes(' warn ') && line.includes('retrying'))).toBe(true);
  });

  it('closes and retries when the hub refuses the token, and never logs the token', async () => {
    const server = await hub({
      onConnection(socket) {
        socket.on('message', (data) => {
          if ((JSON.parse(data.toString()) as { type: string }).type === 'auth') socket.send('{"type":"auth","status":"error","message":"Invalid token"}');
        });
      },
    });
    const { logs } = push(server.url('/ws/agent', `?token=${TOKEN}`));
    await until(() => server.connections >= 3, 5000, 'three attempts');
    expect(logs.filter((line) => line.includes(' warn '))).toEqual([expect.stringContaining('the hub refused the token ("Invalid token")')]);
    expect(logs.some((line) => line.includes(TOKEN))).toBe(false);
    expect(logs.some((line) => line.includes('token=•••'))).toBe(true);
  });

  it('retries after an HTTP 401 before the upgrade', async () => {
    let refused = 0;
    const server = await hub({
      rejectUpgrade: () => {
        refused += 1;
        return refused <= 2 ? 401 : null;
      },
      onConnection: () => {},
    });
    const { logs } = push(server.url('/ws/agent', `?token=${TOKEN}`));
    await until(() => server.received.some((text) => text.includes('"metrics"')), 5000, 'metrics after two refusals');
    expect(logs.find((line) => line.includes(' warn '))).toContain('401');
    expect(logs.some((line) => line.includes(TOKEN))).toBe(false);
  });

  it('keeps the readings taken while the hub is unreachable on disk, across a restart, and backfills what the hub lacks in acknowledged batches', async () => {
    const { port, dataDir, url } = await keptWhileUnreachable(8);
    const kept = backlogLines(dataDir).map((line) => Number(line.split('\t')[0]));
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
    // The hub already holds the first three.
    const lastSeen = new Date(kept[2]!).toISOString();
    const server = await hub({ port, ...backfillHub(() => lastSeen) });
    const second = push(url, 100, dataDir);
    expect(second.logs.some((line) => line.includes(`${kept.length} readings kept from before`))).toBe(true);
    await until(() => parsed(server).some((message) => message.type === 'batch_metrics') && backlogLines(dataDir).length === 0, 5000, 'the backfill acknowledged');
    // As the real agent sends them: each report wrapped with its time.
    const batches = parsed(server).filter((message) => message.type === 'batch_metrics') as { metrics: { timestamp: string; metrics: { timestamp: string; hostname: string } }[] }[];
    const times = batches.flatMap((batch) => batch.metrics.map((item) => Date.parse(item.timestamp)));
    expect(times.slice(0, kept.length - 3)).toEqual(kept.slice(3));
    expect(batches[0]!.metrics[0]!.metrics).toMatchObject({ hostname: os.hostname(), timestamp: batches[0]!.metrics[0]!.timestamp });
    expect(second.logs.some((line) => line.includes('backfill to') && line.includes('done'))).toBe(true);
  });

  it('drops the backlog when a hub never acknowledges a batch, and keeps pushing live metrics', async () => {
    const { port, dataDir, url } = await keptWhileUnreachable(3);
    const server = await hub({ port, ...backfillHub(() => undefined, false) });
    const { logs } = push(url, 100, dataDir, { batchAckTimeoutMs: 300 });
    await until(() => logs.some((line) => line.includes('does not take them')), 5000, 'the backfill given up');
    expect(backlogLines(dataDir)).toEqual([]);
    const metricsBefore = parsed(server).filter((message) => message.type === 'metrics').length;
    await until(() => parsed(server).filter((message) => message.type === 'metrics').length > metricsBefore + 2, 3000, 'live metrics go on');
  });
});
