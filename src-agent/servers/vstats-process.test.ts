import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, type SpawnedAgent } from '../../test-support/test-agent';
import { connectRecorder, ofType, type Frame } from '../../test-support/ws-recorder';

// Runs the built agent: `npm run build` first.
const TOKEN = 'process-test-token';
let agent: SpawnedAgent;
beforeAll(async () => {
  agent = await spawnAgent(['--vstats-token', TOKEN, '--vstats-interval', '1', '--log-level', 'debug']);
});
afterAll(async () => {
  await agent.stop();
});

const about = (id: string) => (frame: Frame): boolean => {
  const data = (frame.json as { data?: { server_id?: unknown } } | undefined)?.data;
  return ofType('metrics')(frame) && data?.server_id === id;
};

async function attempt(url: string, send: (string | Buffer)[]): Promise<void> {
  const client = await connectRecorder(url).catch(() => undefined);
  if (!client) return;
  for (const data of send) client.send(data);
  await Promise.race([client.closed, new Promise((resolve) => setTimeout(resolve, 200))]);
  client.socket.terminate();
}

describe('vstats server in the built agent process', () => {
  it('survives hostile agents and dashboards, keeps streaming to a dashboard and still relays a good agent', async () => {
    const dashboardUrl = agent.url('vstats', 'dashboards');
    const agentUrl = agent.url('vstats', 'agents');
    const watcher = await connectRecorder(dashboardUrl);
    await watcher.next(about(os.hostname()), 3000, 'this machine');

    await Promise.all([
      attempt(`${agentUrl}?token=wrong`, []),
      attempt(agentUrl, ['{"type":"auth","server_id":"x","token":"wrong","version":"1"}']),
      attempt(agentUrl, [randomBytes(300)]),
      attempt(agentUrl, ['not json at all']),
      attempt(`${agentUrl}?token=${TOKEN}`, ['{', '[]', '{"type":"metrics","data":{"cpu":{"usage":{}}}}', randomBytes(1000), '{"type":"nope"}']),
      attempt(`${agentUrl}?token=${TOKEN}`, [Buffer.alloc(1024 * 1024, 0x7b)]),
      attempt(dashboardUrl, [Buffer.alloc(1024 * 1024, 0x41)]),
      attempt(dashboardUrl, ['{"type":"metrics","data":{"server_id":"forged"}}', randomBytes(100)]),
      attempt(`${agentUrl}?token=${TOKEN}`, [JSON.stringify({ type: 'metrics', data: { hostname: 'x'.repeat(100_000) } })]),
    ]);

    const good = await connectRecorder(`${agentUrl}?token=${TOKEN}`);
    good.send(JSON.stringify({ type: 'metrics', data: { hostname: 'survivor', cpu: { usage: 1, cores: 1 }, memory: { total: 1024, used: 512 } } }));
    await watcher.next(about('survivor'), 3000, 'the good agent relayed');
    const before = watcher.frames.filter(about(os.hostname())).length;
    await watcher.collect(about(os.hostname()), before + 1, 3000);
    expect(watcher.frames.some(about('forged'))).toBe(false);
    expect(agent.child.exitCode).toBeNull();
    good.close();
    watcher.close();

    expect(await agent.stop('SIGTERM')).toBe(0);
    expect(agent.stderr.filter((line) => / error /.test(line) && /\[vstats|uncaught|unhandled/.test(line))).toEqual([]);
    expect(agent.stderr.some((line) => line.includes(TOKEN))).toBe(false);
  });
});
