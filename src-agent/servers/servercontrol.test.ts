import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInfo, Snapshot } from '../../proto/model';
import { connectRecorder, ofType, sleep } from '../../test-support/ws-recorder';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import type { Sampler } from '../sampler/sampler';

const MIB = 1024 * 1024;

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent();
});
afterAll(() => agent.close());

/** A machine whose CPU is always at `cpuPercent`. */
function fixedSampler(cpuPercent: number): Sampler {
  const host: HostInfo = { id: 'hot-box', hostname: 'hot-box', memoryTotalBytes: 16_000 * MIB };
  const snapshot = (): Snapshot => ({
    host,
    sample: { timeMs: Date.now(), cpu: { totalPercent: cpuPercent }, memory: { usedPercent: 50, totalBytes: 16_000 * MIB, usedBytes: 8_000 * MIB } },
  });
  return { hostInfo: async () => host, snapshot: async () => snapshot() };
}

describe('servercontrol server', () => {
  it('pushes stats_update about once a second to a client that sends nothing, with the documented fields and units', async () => {
    const client = await connectRecorder(agent.url('servercontrol'));
    const updates = await client.collect(ofType('stats_update'), 3, 5000);
    expect(updates[0]!.atMs).toBeLessThan(1600);
    const gaps = [updates[1]!.atMs - updates[0]!.atMs, updates[2]!.atMs - updates[1]!.atMs];
    for (const gap of gaps) expect(gap).toBeGreaterThan(500);
    for (const gap of gaps) expect(gap).toBeLessThan(1800);

    const update = updates[0]!.json as Record<string, unknown>;
    expect(Object.keys(update).sort()).toEqual(['cpu', 'hostname', 'ram_total', 'ram_used', 'timestamp', 'type']);
    expect(update).toEqual({ type: 'stats_update', cpu: expect.any(Number), ram_used: expect.any(Number), ram_total: expect.any(Number), timestamp: expect.any(Number), hostname: expect.any(String) });
    expect(Number.isInteger(update.ram_used) && Number.isInteger(update.ram_total)).toBe(true);
    expect(update.ram_used as number).toBeLessThanOrEqual(update.ram_total as number);
    expect(update.ram_total as number).toBeGreaterThan(0);
    expect(Math.abs((update.timestamp as number) - Date.now())).toBeLessThan(5000);
    expect(updates[0]!.text).toBe(JSON.stringify(update));
    client.close();
  });

  it('sends the same stats_update to every client from one timer', async () => {
    const first = await connectRecorder(agent.url('servercontrol'));
    const second = await connectRecorder(agent.url('servercontrol'));
    const [a] = await first.collect(ofType('stats_update'), 2, 4000).then((frames) => frames.slice(1));
    const fromSecond = await second.collect(ofType('stats_update'), 2, 4000);
    expect(fromSecond.map((frame) => frame.text)).toContain(a!.text);
    first.close();
    second.close();
  });

  it('answers ping with a pong carrying a millisecond timestamp, ignoring request_id as the real server does', async () => {
    const client = await connectRecorder(agent.url('servercontrol'));
    const before = Date.now();
    client.send('{"type":"ping"}');
    const pong = await client.next(ofType('pong'), 2000);
    expect(Object.keys(pong.json as object).sort()).toEqual(['timestamp', 'type']);
    const timestamp = (pong.json as { timestamp: number }).timestamp;
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Date.now());

    client.send('{"type":"ping","request_id":"7"}');
    const pongs = await client.collect(ofType('pong'), 2, 2000);
    expect(Object.keys(pongs[1]!.json as object).sort()).toEqual(['timestamp', 'type']);
    client.close();
  });

  it('declares its stream, and only its stream, as the endpoint a local client connects to', () => {
    expect(agent.connect.filter((endpoint) => endpoint.protocol === 'servercontrol')).toEqual([{ protocol: 'servercontrol', url: agent.url('servercontrol') }]);
  });

  it('accepts any path', async () => {
    const client = await connectRecorder(agent.url('servercontrol').replace(/\/$/, '/anything/here?x=1'));
    client.send('{"type":"ping"}');
    await client.next(ofType('pong'), 2000);
    client.close();
  });

  it('ignores non-JSON, unknown requests and binary garbage silently and keeps streaming to that client', async () => {
    const client = await connectRecorder(agent.url('servercontrol'));
    await client.next(ofType('stats_update'), 3000);
    for (const junk of ['not json', '{"type":"get_system_info","request_id":"2"}', '{"type":"pong"}', '[]', 'null', '{"type":{"$ne":1}}', '', 'subscribe:usage', 'get_metrics']) client.send(junk);
    client.send(randomBytes(2048));
    const before = client.frames.length;
    await client.collect(ofType('stats_update'), client.frames.filter(ofType('stats_update')).length + 2, 4000);
    expect(client.frames.slice(before).every(ofType('stats_update'))).toBe(true);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('closes a client that sends a 1 MiB frame with 1009 while another client keeps receiving', async () => {
    const bystander = await connectRecorder(agent.url('servercontrol'));
    await bystander.next(ofType('stats_update'), 3000);
    const attacker = await connectRecorder(agent.url('servercontrol'));
    attacker.send(Buffer.alloc(1024 * 1024, 0x7b));
    expect((await attacker.closed).code).toBe(1009);
    const seen = bystander.frames.filter(ofType('stats_update')).length;
    await bystander.collect(ofType('stats_update'), seen + 2, 4000);
    bystander.close();
  });

  it('answers plain HTTP on the WebSocket port with 426 rather than serving anything', async () => {
    const response = await fetch(agent.url('servercontrol').replace('ws://', 'http://'));
    expect(response.status).toBe(426);
  });

  it('logs hostile clients at debug level only, never as warnings or errors', () => {
    expect(agent.logs.some((line) => line.includes('[servercontrol]') && line.includes('Max payload size exceeded'))).toBe(true);
    expect(agent.logs.filter((line) => line.includes('[servercontrol]') && / (error|warn) /.test(line))).toEqual([]);
  });
});

describe('servercontrol cpu_alert', () => {
  it('sends cpu_alert to every client when CPU is above the threshold, naming the threshold, at most once per cooldown', async () => {
    const hot = await startTestAgent(['--cpu-alert-threshold', '75', '--cpu-alert-cooldown', '60'], { sampler: fixedSampler(97.25) });
    try {
      const first = await connectRecorder(hot.url('servercontrol'));
      const second = await connectRecorder(hot.url('servercontrol'));
      await first.collect(ofType('stats_update'), 3, 5000);
      await second.collect(ofType('stats_update'), 3, 5000);
      for (const client of [first, second]) {
        const alerts = client.frames.filter(ofType('cpu_alert'));
        expect(alerts).toHaveLength(1);
        const alert = alerts[0]!.json as Record<string, unknown>;
        expect(alert).toEqual({ type: 'cpu_alert', cpu: 97.3, hostname: 'hot-box', message: 'CPU usage exceeded 75%!', timestamp: expect.any(Number) });
        expect(Math.abs((alert.timestamp as number) - Date.now())).toBeLessThan(5000);
      }
      first.close();
      second.close();
    } finally {
      await hot.close();
    }
  });

  it('repeats the alert once the cooldown has passed', async () => {
    const hot = await startTestAgent(['--cpu-alert-threshold', '50', '--cpu-alert-cooldown', '1.5'], { sampler: fixedSampler(80) });
    try {
      const client = await connectRecorder(hot.url('servercontrol'));
      const alerts = await client.collect(ofType('cpu_alert'), 2, 6000);
      expect(alerts[1]!.atMs - alerts[0]!.atMs).toBeGreaterThan(1200);
      client.close();
    } finally {
      await hot.close();
    }
  });

  it('sends no cpu_alert while CPU stays at or under the threshold', async () => {
    const calm = await startTestAgent(['--cpu-alert-threshold', '90'], { sampler: fixedSampler(90) });
    try {
      const client = await connectRecorder(calm.url('servercontrol'));
      await client.collect(ofType('stats_update'), 2, 4000);
      await sleep(100);
      expect(client.frames.filter(ofType('cpu_alert'))).toEqual([]);
      client.close();
    } finally {
      await calm.close();
    }
  });
});
