import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../../test-support/fixture-server';
import { sleep } from '../../../test-support/ws-recorder';
import { createLogger } from '../../log';
import { SystemSampler } from '../../sampler/sampler';
import { PUSH_AGENT_VERSION, startPush } from './push-client';
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

function push(url: string, intervalMs = 200) {
  const logs: string[] = [];
  const pusher = startPush({ url, serverId: 'pusher-1', intervalMs, sampler, log: createLogger('debug', (line) => logs.push(line)), backoff: FAST_BACKOFF, dataDir: tempDataDir() });
  cleanups.push(() => pusher.close());
  return { logs };
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
});
