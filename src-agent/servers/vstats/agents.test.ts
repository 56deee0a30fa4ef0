import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import { connectRecorder, ofType, sleep } from '../../../test-support/ws-recorder';
import { createLogger } from '../../log';
import { attachAgent } from './agents';
import { Hub } from './hub';
import { cleanupAfterEach } from '../../../test-support/cleanups';

const TOKEN = 'agents-test-token';
const cleanups = cleanupAfterEach();

async function agentSide(authTimeoutMs: number) {
  const published: string[] = [];
  const hub = new Hub({
    local: { host: { id: 'hub', hostname: 'hub' }, sample: { timeMs: Date.now() } },
    offlineAfterMs: 30_000,
    removeAfterMs: 300_000,
    maxAgents: 10,
    publish: (frame) => published.push(frame),
    publishAll: (frames) => published.push(...frames),
  });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket, request) => attachAgent(socket, new URL(request.url ?? '/', 'http://hub.invalid'), { hub, token: TOKEN, log: createLogger('error'), authTimeoutMs, maxFrameBytes: 256 * 1024, maxBackfillBytes: 1024 * 1024 }));
  await new Promise((resolve) => wss.once('listening', resolve));
  cleanups.push(() => new Promise((resolve) => {
    for (const client of wss.clients) client.terminate();
    wss.close(resolve);
  }));
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws/agent`, published };
}

describe('vstats agent side', () => {
  it('closes an agent that neither sends a query token nor authenticates in time', async () => {
    const { url } = await agentSide(200);
    const silent = await connectRecorder(url);
    const startedAt = Date.now();
    expect((await silent.closed).code).toBe(1008);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
  });

  it('keeps an agent that authenticated before the timeout', async () => {
    const { url, published } = await agentSide(200);
    const agent = await connectRecorder(url);
    agent.send(JSON.stringify({ type: 'auth', server_id: 'punctual', token: TOKEN, version: '1' }));
    await agent.next(ofType('auth'), 1000);
    await sleep(400);
    agent.send(JSON.stringify({ type: 'metrics', data: { hostname: 'punctual-host', cpu: { usage: 2, cores: 1 } } }));
    for (const startedAt = Date.now(); published.length < 3 && Date.now() - startedAt < 2000; ) await sleep(20);
    expect(agent.socket.readyState).toBe(agent.socket.OPEN);
    expect(published.map((frame) => (JSON.parse(frame) as { type: string }).type)).toEqual(['server_added', 'status', 'metrics']);
  });
});
