import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFlags, startAgent, type RunningAgent } from '../agent';
import { parseFlags } from '../cli/parse';
import { startNotices } from '../cli/run-agent';
import { createLogger } from '../log';
import type { Snapshot } from '../../proto/model';
import { SystemSampler, type Sampler, type SampleWants } from '../sampler/sampler';
import { connectRecorder, ofType, sleep, type Frame, type Recorder } from '../../test-support/ws-recorder';
import { startTestAgent, tempDataDir, type TestAgent } from '../../test-support/test-agent';
import { sysmedicServer } from './sysmedic';
import { cleanupAfterEach } from '../../test-support/cleanups';

const SECRET = 'test-secret-6f1d';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const UPTIME = /^(\d+d \d+h \d+m|\d+h \d+m|\d+m)$/;

const cleanups = cleanupAfterEach();

async function open(url: string): Promise<Recorder> {
  const client = await connectRecorder(url);
  cleanups.push(() => client.close());
  return client;
}

function refusal(url: string, headers?: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    connectRecorder(url, { headers, onUnexpectedResponse: resolve }).then(
      (client) => {
        client.close();
        reject(new Error(`${url} was upgraded`));
      },
      () => {},
    );
  });
}

const data = (frame: Frame): Record<string, unknown> => (frame.json as { data: Record<string, unknown> }).data;
const byRequestId = (id: unknown) => (frame: Frame) => (frame.json as { request_id?: unknown } | undefined)?.request_id === id;

describe('sysmedic server', () => {
  let agent: TestAgent;
  let url: string;
  beforeAll(async () => {
    // Thresholds of 100 % can never be crossed, so this agent raises no alert however busy the machine is.
    agent = await startTestAgent(['--sysmedic-interval', '1', '--sysmedic-secret', SECRET, '--sysmedic-cpu-threshold', '100', '--sysmedic-memory-threshold', '100']);
    url = `${agent.url('sysmedic')}?secret=${SECRET}`;
  });
  afterAll(() => agent.close());

  it('sends welcome first, then one system_update per interval with percentages, uptime text and ISO timestamps', async () => {
    const client = await open(url);
    const updates = await client.collect(ofType('system_update'), 2, 4000);
    const welcome = client.frames[0]!.json as Record<string, unknown>;
    expect(welcome).toEqual({
      type: 'welcome',
      data: { message: 'Connected to SysMedic', version: expect.any(String), system: expect.any(String), status: expect.stringMatching(/^(Light Usage|Medium Usage|Heavy Load)$/), daemon: 'Running' },
      timestamp: expect.stringMatching(ISO),
    });
    for (const update of updates) {
      const fields = data(update);
      expect(Object.keys(fields).sort()).toEqual(['cpu_usage', 'disk_usage', 'memory_usage', 'uptime']);
      for (const key of ['cpu_usage', 'memory_usage', 'disk_usage']) {
        expect(fields[key]).toBeGreaterThanOrEqual(0);
        expect(fields[key]).toBeLessThanOrEqual(100);
      }
      expect(fields.uptime).toMatch(UPTIME);
      const timestamp = (update.json as { timestamp: string }).timestamp;
      expect(timestamp).toMatch(ISO);
      expect(Math.abs(Date.parse(timestamp) - Date.now())).toBeLessThan(10_000);
    }
    expect(data(updates[0]!).disk_usage).toBeGreaterThan(0);
    expect(updates[1]!.atMs - updates[0]!.atMs).toBeGreaterThan(500);
  });

  it('refuses a missing, wrong or differently sized secret with HTTP 401 before the upgrade, and other paths with 404', async () => {
    const base = agent.url('sysmedic');
    expect(await refusal(base)).toBe(401);
    expect(await refusal(`${base}?secret=wrong-secret-0000`)).toBe(401);
    expect(await refusal(`${base}?secret=${SECRET}x`)).toBe(401);
    expect(await refusal(`${base}?secret=`)).toBe(401);
    expect(await refusal(base.replace('/ws', '/other') + `?secret=${SECRET}`)).toBe(404);
  });

  it('answers every request type with its response, echoing request_id, and never sends the secret', async () => {
    const client = await open(url);
    await client.next(ofType('welcome'));
    const requests = ['ping', 'get_system_info', 'get_alerts', 'get_user_metrics', 'get_config', 'get_uptime', 'get_everything'];
    requests.forEach((type, index) => client.send(JSON.stringify({ type, request_id: `r${index}`, data: {} })));
    const replies = await Promise.all(requests.map((_type, index) => client.next(byRequestId(`r${index}`), 5000, `reply to ${requests[index]}`)));
    expect(replies.map((reply) => (reply.json as { type: string }).type)).toEqual([
      'pong',
      'system_info_response',
      'alerts_response',
      'user_metrics_response',
      'config_response',
      'uptime_response',
      'error',
    ]);
    for (const reply of replies) expect(Object.keys(reply.json as object)).toEqual(['type', 'data', 'timestamp', 'request_id']);
    expect(data(replies[0]!)).toEqual({ message: 'pong' });
    expect(data(replies[1]!)).toEqual({
      cpu_usage: expect.any(Number),
      memory_usage: expect.any(Number),
      disk_usage: expect.any(Number),
      uptime: expect.stringMatching(UPTIME),
      load_avg: expect.stringMatching(/^\d+\.\d\d, \d+\.\d\d, \d+\.\d\d$/),
      network_io: expect.stringMatching(/^\d+\.\d\d MB\/s$/),
    });
    expect(data(replies[2]!)).toEqual({ unresolved_count: 0, total_count: 0, recent_alerts: [], status: 'No active alerts' });
    const users = (replies[3]!.json as { data: unknown[] }).data;
    expect(users.length).toBeGreaterThan(0);
    expect(users[0]).toEqual({ username: expect.any(String), cpu_percent: expect.any(Number), memory_percent: expect.any(Number), processes: expect.any(Number) });
    expect(data(replies[4]!)).toEqual({ monitoring_interval: '1s', cpu_threshold: 100, memory_threshold: 100, version: expect.any(String) });
    expect(data(replies[5]!)).toEqual({ uptime: expect.stringMatching(UPTIME) });
    expect(data(replies[6]!)).toEqual({ error: 'Unknown request type: get_everything' });
    expect(client.frames.some((frame) => frame.text.includes(SECRET))).toBe(false);
  });

  it('answers non-JSON, typeless and binary frames with error and keeps the connection and the stream', async () => {
    const client = await open(url);
    await client.next(ofType('welcome'));
    for (const junk of ['not json', '{"request_id":"9"}', '[]', '{"type":5,"request_id":"10"}', '', 'null', '{"type":"ping","request_id":{"a":1}}']) client.send(junk);
    client.send(randomBytes(100));
    const errors = await client.collect(ofType('error'), 7, 4000);
    expect(errors.every((frame) => typeof data(frame).error === 'string')).toBe(true);
    expect(client.frames.some(byRequestId('9'))).toBe(true);
    expect(client.frames.some(byRequestId('10'))).toBe(true);
    const pong = await client.next(ofType('pong'), 3000);
    expect((pong.json as Record<string, unknown>).request_id).toBeUndefined();
    const before = client.frames.filter(ofType('system_update')).length;
    await client.collect(ofType('system_update'), before + 1, 3000);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });

  it('closes a client that bursts past the message rate limit with 1008', async () => {
    const client = await open(url);
    await client.next(ofType('welcome'));
    for (let index = 0; index < 200; index++) client.send(JSON.stringify({ type: 'ping', request_id: index }));
    expect(await client.closed).toMatchObject({ code: 1008, reason: 'Too many messages' });
  });

  it('with the rate limit raised, answers a burst of 200 requests, each with a pong or a too-many-in-flight error, and stays open', async () => {
    const generous = await startTestAgent(['--sysmedic-secret', SECRET, '--max-messages-per-second', '1000']);
    try {
      const client = await open(`${generous.url('sysmedic')}?secret=${SECRET}`);
      await client.next(ofType('welcome'));
      for (let index = 0; index < 200; index++) client.send(JSON.stringify({ type: 'ping', request_id: index }));
      const replies = await client.collect((frame) => ofType('pong')(frame) || ofType('error')(frame), 200, 8000);
      expect(replies.filter(ofType('error')).every((frame) => data(frame).error === 'Too many requests in flight')).toBe(true);
      expect(replies.filter(ofType('pong')).length).toBeGreaterThan(0);
      expect(client.socket.readyState).toBe(client.socket.OPEN);
    } finally {
      await generous.close();
    }
  });

  it('closes a client that sends more than 512 bytes with 1009 while another client keeps receiving', async () => {
    const bystander = await open(url);
    await bystander.next(ofType('system_update'), 3000);
    const nearLimit = await open(url);
    nearLimit.send(JSON.stringify({ type: 'ping', request_id: 'x'.repeat(470) }));
    await nearLimit.next(ofType('pong'), 3000);
    const over = await open(url);
    over.send('{"type":"ping","request_id":"' + 'x'.repeat(500) + '"}');
    expect((await over.closed).code).toBe(1009);
    const huge = await open(url);
    huge.send(Buffer.alloc(1024 * 1024, 0x41));
    expect((await huge.closed).code).toBe(1009);
    const before = bystander.frames.filter(ofType('system_update')).length;
    await bystander.collect(ofType('system_update'), before + 1, 3000);
    expect(bystander.socket.readyState).toBe(bystander.socket.OPEN);
  });

  it('serves /health as JSON without auth, counting connected clients, and answers other HTTP with 401 or 404 JSON', async () => {
    const { port } = agent.endpoint('sysmedic');
    await open(url);
    await open(url);
    let health: Record<string, unknown> = {};
    for (let attempt = 0; attempt < 40; attempt++) {
      health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as Record<string, unknown>;
      if (health.clients === 2) break;
      await sleep(100);
    }
    expect(health).toEqual({ status: 'healthy', running: true, clients: 2, port, hostname: expect.any(String), has_secret: true });
    const noSecret = await fetch(`http://127.0.0.1:${port}/ws`);
    expect(noSecret.status).toBe(401);
    expect(await noSecret.json()).toEqual({ error: 'Unauthorized' });
    expect((await fetch(`http://127.0.0.1:${port}/ws?secret=${SECRET}`)).status).toBe(426);
    const missing = await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST', body: 'x' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Not found' });
  });

  it('accepts the secret in the X-SysMedic-Secret header, as the SysMedic API guide documents', async () => {
    const client = await connectRecorder(agent.url('sysmedic'), { headers: { 'X-SysMedic-Secret': SECRET } });
    cleanups.push(() => client.close());
    await client.next(ofType('welcome'), 3000);
    expect(await refusal(agent.url('sysmedic'), { 'X-SysMedic-Secret': 'nope' })).toBe(401);
  });

  it('never prints the secret in a log line, nor in a listening endpoint URL', () => {
    expect(agent.logs.filter((line) => line.includes(SECRET))).toEqual([]);
    expect(JSON.stringify(agent.endpoints)).not.toContain(SECRET);
    expect(agent.connect.find((endpoint) => endpoint.protocol === 'sysmedic')?.url).toBe(url);
    expect(agent.logs.filter((line) => line.includes('[sysmedic]') && / (error|warn) /.test(line))).toEqual([]);
    expect(agent.logs.some((line) => line.includes('[sysmedic] answered a binary frame with an error'))).toBe(true);
  });
});

/** The real sampler with a CPU figure the test sets (memory pinned at 10 %), counting the snapshots that ask for disks. */
class SteerableSampler extends SystemSampler {
  cpuPercent = 5;
  diskSnapshots = 0;

  override async snapshot(wants?: SampleWants): Promise<Snapshot> {
    if (wants?.disks) this.diskSnapshots += 1;
    const { host, sample } = await super.snapshot(wants);
    return { host, sample: { ...sample, cpu: { ...sample.cpu, totalPercent: this.cpuPercent }, memory: { ...sample.memory, usedPercent: 10 } } };
  }
}

interface SoloOptions {
  sampler?: Sampler;
  dataDir?: string;
  /** Null leaves the secret to be generated. */
  secret?: string | null;
}

/** An agent running the SysMedic server alone, so no other server's sampling is counted. */
async function startSysmedicOnly(args: string[], options: SoloOptions = {}): Promise<RunningAgent & { url: string; port: number }> {
  const secret = options.secret === undefined ? SECRET : options.secret;
  const argv = ['--sysmedic-port', '0', '--data-dir', options.dataDir ?? tempDataDir(), ...(secret === null ? [] : ['--sysmedic-secret', secret]), ...args];
  const { flags } = parseFlags(agentFlags([sysmedicServer]), argv, {});
  const running = await startAgent({ flags, log: createLogger('error', () => {}), sampler: options.sampler, services: [sysmedicServer] });
  const ws = running.endpoints.find((endpoint) => endpoint.owner === 'sysmedic' && endpoint.kind === 'ws')!;
  return { ...running, port: ws.port, url: `${ws.url}?secret=${SECRET}` };
}

describe('sysmedic alerts and sampling', () => {
  it('broadcasts one alert to every client on a rising edge over the CPU threshold, lists it in get_alerts, and cannot flap', async () => {
    const sampler = new SteerableSampler();
    const agent = await startSysmedicOnly(['--sysmedic-interval', '1', '--sysmedic-cpu-threshold', '70'], { sampler });
    cleanups.push(() => agent.close());
    const first = await open(agent.url);
    const second = await open(agent.url);
    await first.next(ofType('system_update'), 3000);
    expect(first.frames.filter(ofType('alert'))).toEqual([]);

    sampler.cpuPercent = 95;
    const [alert] = await first.collect(ofType('alert'), 1, 4000);
    await second.next(ofType('alert'), 2000);
    expect(data(alert!)).toEqual({
      status: 'Heavy Load',
      system_metrics: { cpu_usage: 95, memory_usage: 10, disk_usage: expect.any(Number) },
      user_metrics: expect.any(Array),
      persistent_users: [],
      primary_cause: 'High system CPU usage: 95.0% (threshold 70%)',
      recommendations: expect.arrayContaining(['Check CPU-intensive processes']),
    });
    expect((alert!.json as { timestamp: string }).timestamp).toMatch(ISO);

    const updatesSoFar = first.frames.filter(ofType('system_update')).length;
    await first.collect(ofType('system_update'), updatesSoFar + 2, 4000);
    first.send('{"type":"get_alerts","request_id":"a1"}');
    expect(data(await first.next(byRequestId('a1'), 3000))).toMatchObject({ unresolved_count: 1, total_count: 1, recent_alerts: [{ severity: 'heavy', resolved: false, timestamp: expect.stringMatching(ISO) }] });

    sampler.cpuPercent = 10;
    await first.collect(ofType('system_update'), first.frames.filter(ofType('system_update')).length + 2, 4000);
    first.send('{"type":"get_alerts","request_id":"a2"}');
    expect(data(await first.next(byRequestId('a2'), 3000))).toMatchObject({ unresolved_count: 0, total_count: 1, status: 'No active alerts', recent_alerts: [{ resolved: true }] });

    sampler.cpuPercent = 95;
    await first.collect(ofType('system_update'), first.frames.filter(ofType('system_update')).length + 2, 4000);
    expect(first.frames.filter(ofType('alert'))).toHaveLength(1);
    expect(second.frames.filter(ofType('alert'))).toHaveLength(1);
  });

  it('reports Heavy Load in the welcome while over a threshold', async () => {
    const sampler = new SteerableSampler();
    sampler.cpuPercent = 99;
    const agent = await startSysmedicOnly([], { sampler });
    cleanups.push(() => agent.close());
    const client = await open(agent.url);
    expect(data(await client.next(ofType('welcome'), 3000)).status).toBe('Heavy Load');
  });

  it('samples for system_update only while a client is connected', async () => {
    const sampler = new SteerableSampler();
    const agent = await startSysmedicOnly(['--sysmedic-interval', '1'], { sampler });
    cleanups.push(() => agent.close());
    await sleep(2500);
    expect(sampler.diskSnapshots).toBe(0);
    const client = await open(agent.url);
    await client.collect(ofType('system_update'), 2, 4000);
    expect(sampler.diskSnapshots).toBeGreaterThanOrEqual(2);
    client.close();
    await client.closed;
    await sleep(300);
    const afterClose = sampler.diskSnapshots;
    await sleep(2500);
    expect(sampler.diskSnapshots).toBe(afterClose);
  });
});

describe('sysmedic secret', () => {
  it('generates a secret at first run into a 0600 file, reuses it on restart, and shows it only in the quick-connect notice for a terminal', async () => {
    const dataDir = tempDataDir();
    const logs: string[] = [];
    const { flags } = parseFlags(agentFlags([sysmedicServer]), ['--sysmedic-port', '0', '--data-dir', dataDir], {});
    const first = await startAgent({ flags, log: createLogger('debug', (line) => logs.push(line)), services: [sysmedicServer] });
    cleanups.push(() => first.close());
    const file = path.join(dataDir, 'sysmedic-secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(24);
    const { port, url } = first.endpoints[0]!;
    expect(startNotices(first, true)).toEqual([`SysMedic quick connect: sysmedic://${secret}@127.0.0.1:${port}/`]);
    expect(startNotices(first, false)).toEqual([`SysMedic quick connect: sysmedic://<secret>@127.0.0.1:${port}/ (<secret> is in ${file})`]);
    expect(logs.some((line) => line.includes(`generated into ${file}`))).toBe(true);
    expect(logs.filter((line) => line.includes(secret))).toEqual([]);
    const client = await connectRecorder(`${url}?secret=${encodeURIComponent(secret)}`);
    await client.next(ofType('welcome'), 3000);
    client.close();
    await first.close();
    await expect(first.close()).resolves.toBeUndefined();

    const second = await startSysmedicOnly([], { dataDir, secret: null });
    cleanups.push(() => second.close());
    expect(startNotices(second, true)).toEqual([`SysMedic quick connect: sysmedic://${secret}@127.0.0.1:${second.port}/`]);
    expect(startNotices(second, false).filter((line) => line.includes(secret))).toEqual([]);
  });
});
