import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DETECT_TIMINGS } from '../../proto/detect';
import { connectRecorder, ofType, sleep, type Frame, type Recorder } from '../../test-support/ws-recorder';
import { startTestAgent, tempDataDir, type TestAgent } from '../../test-support/test-agent';

const TOKEN = 'hub-test-token';
let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent(['--vstats-token', TOKEN, '--vstats-interval', '1', '--vstats-offline-after', '1', '--vstats-max-backfill-bytes', String(2 * 1024 * 1024)]);
});
afterAll(() => agent.close());

type Envelope = { type: string; data: Record<string, unknown>; timestamp: string };
const envelope = (frame: Frame): Envelope => frame.json as Envelope;
const about = (id: string) => (frame: Frame): boolean => {
  const data = (frame.json as Envelope | undefined)?.data;
  return data?.server_id === id || data?.id === id;
};
const both = (...tests: ((frame: Frame) => boolean)[]) => (frame: Frame): boolean => tests.every((test) => test(frame));

function agentUrl(query = `?token=${TOKEN}`): string {
  return agent.url('vstats', 'agents') + query;
}

/** The documented agent push, as PROTOCOLS.md gives it. */
function documentedMetrics(hostname: string, cpuUsage: number, totalRx = 1073741824): string {
  return JSON.stringify({
    type: 'metrics',
    data: {
      timestamp: new Date().toISOString(),
      hostname,
      os: { name: 'Ubuntu', version: '22.04', kernel: '5.15.0', arch: 'x86_64' },
      cpu: { brand: 'Intel Core i7', cores: 8, usage: cpuUsage, frequency: 3600, per_core: [40, 50, 45, 42, 48, 46, 44, 47] },
      memory: { total: 17179869184, used: 8589934592, available: 8589934592, swap_total: 4294967296, swap_used: 1073741824, usage_percent: 50.0 },
      disks: [{ name: 'sda1', mount_point: '/', fs_type: 'ext4', total: 107374182400, used: 53687091200, available: 53687091200, usage_percent: 50.0 }],
      network: { interfaces: [{ name: 'eth0', rx: totalRx, tx: 536870912 }], total_rx: totalRx, total_tx: 536870912 },
      uptime: 86400,
      load_average: { one: 0.5, five: 0.7, fifteen: 0.6 },
    },
  });
}

async function dashboard(): Promise<Recorder> {
  const recorder = await connectRecorder(agent.url('vstats'));
  await recorder.next(both(ofType('metrics'), about(os.hostname())), 2000, 'this machine in the snapshot');
  return recorder;
}

async function refusedStatus(url: string): Promise<number> {
  let status = 0;
  await connectRecorder(url, { onUnexpectedResponse: (code) => (status = code) }).then(
    (recorder) => recorder.close(),
    () => undefined,
  );
  return status;
}

describe('vstats server: dashboards on /ws', () => {
  it('sends server_added, status and metrics for this machine at once, then metrics every interval', async () => {
    const client = await connectRecorder(agent.url('vstats'));
    const [first] = await client.collect(both(ofType('metrics'), about(os.hostname())), 1, 2000);
    expect(first!.atMs).toBeLessThan(DEFAULT_DETECT_TIMINGS.listenMs);
    expect(client.frames.slice(0, 3).map((frame) => envelope(frame).type)).toEqual(['server_added', 'status', 'metrics']);
    expect(envelope(client.frames[0]!).data).toEqual({ id: os.hostname(), name: os.hostname(), location: '' });
    expect(envelope(client.frames[1]!).data).toEqual({ server_id: os.hostname(), online: true });

    const metrics = envelope(first!);
    expect(Object.keys(metrics).sort()).toEqual(['data', 'timestamp', 'type']);
    expect(new Date(metrics.timestamp).toISOString()).toBe(metrics.timestamp);
    const body = metrics.data.metrics as { cpu: Record<string, number>; memory: Record<string, number>; disks: Record<string, unknown>[]; network: Record<string, number> };
    // The documented keys, then what this machine reports beyond them.
    expect(Object.keys(body).slice(0, 4)).toEqual(['cpu', 'memory', 'disks', 'network']);
    expect(body).toMatchObject({ hostname: os.hostname(), uptime: expect.any(Number), load_average: { one: expect.any(Number) } });
    expect(body.cpu).toMatchObject({ usage: expect.any(Number), cores: os.availableParallelism() });
    expect(Number.isInteger(body.memory.total) && Number.isInteger(body.memory.used)).toBe(true);
    expect(body.memory.used).toBeLessThanOrEqual(body.memory.total!);
    expect(body.disks.length).toBeGreaterThan(0);
    expect(body.disks[0]).toMatchObject({ name: expect.any(String), mount_point: expect.any(String), total: expect.any(Number), used: expect.any(Number), usage_percent: expect.any(Number) });
    expect(Number.isInteger(body.network.rx) && body.network.rx! >= 0 && Number.isInteger(body.network.tx)).toBe(true);

    const ticks = await client.collect(both(ofType('metrics'), about(os.hostname())), 3, 4000);
    expect(ticks[2]!.atMs - ticks[1]!.atMs).toBeGreaterThan(500);
    client.close();
  });

  it('ignores whatever a dashboard sends and keeps streaming to it', async () => {
    const client = await dashboard();
    for (const junk of ['hello', '{"type":"auth","token":"x"}', '{"type":"metrics","data":{}}', '']) client.send(junk);
    client.send(randomBytes(4096));
    const before = client.frames.length;
    await client.collect(() => true, before + 1, 3000);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('answers other paths with 404', async () => {
    expect(await refusedStatus(agent.url('vstats').replace('/ws', '/elsewhere'))).toBe(404);
  });
});

describe('vstats server: agents on /ws/agent', () => {
  it('relays an agent with a query token as its own server, marks it offline after the timeout and online when it pushes again', async () => {
    const watcher = await dashboard();
    const pusher = await connectRecorder(agentUrl());
    pusher.send(documentedMetrics('query-agent', 12.5));
    await watcher.next(both(ofType('metrics'), about('query-agent')), 2000, 'relayed metrics');
    const relayed = watcher.frames.filter(about('query-agent')).map(envelope);
    expect(relayed.map((message) => message.type)).toEqual(['server_added', 'status', 'metrics']);
    expect(relayed[0]!.data).toEqual({ id: 'query-agent', name: 'query-agent', location: '' });
    expect(relayed[1]!.data).toEqual({ server_id: 'query-agent', online: true });
    expect(relayed[2]!.data).toEqual({
      server_id: 'query-agent',
      metrics: {
        cpu: { usage: 12.5, cores: 8, brand: 'Intel Core i7', frequency: 3600, per_core: [40, 50, 45, 42, 48, 46, 44, 47] },
        memory: { total: 17179869184, used: 8589934592, usage_percent: 50, swap_total: 4294967296, swap_used: 1073741824 },
        disks: [{ name: 'sda1', mount_point: '/', mount_points: ['/'], fs_type: 'ext4', total: 107374182400, used: 53687091200, available: 53687091200, usage_percent: 50 }],
        network: { rx: 0, tx: 0, total_rx: 1073741824, total_tx: 536870912, interfaces: [{ name: 'eth0', rx: 1073741824, tx: 536870912, rx_bytes: 1073741824, tx_bytes: 536870912 }] },
        hostname: 'query-agent',
        os: { name: 'Ubuntu', version: '22.04', kernel: '5.15.0', arch: 'x86_64' },
        uptime: 86400,
        load_average: { one: 0.5, five: 0.7, fifteen: 0.6 },
      },
    });

    const offline = await watcher.next(both(ofType('status'), about('query-agent'), (frame) => envelope(frame).data.online === false), 4000, 'offline');
    expect(offline.atMs - watcher.frames.find(both(ofType('metrics'), about('query-agent')))!.atMs).toBeGreaterThanOrEqual(900);

    pusher.send(documentedMetrics('query-agent', 20, 1073741824 + 2_000_000));
    await watcher.next(both(ofType('status'), about('query-agent'), (frame) => envelope(frame).data.online === true && frame.atMs > offline.atMs), 2000, 'back online');
    const latest = await watcher.collect(both(ofType('metrics'), about('query-agent')), 2, 2000);
    const network = (envelope(latest[1]!).data.metrics as { network: { rx: number } }).network;
    expect(network.rx).toBeGreaterThan(0);
    pusher.close();
    watcher.close();
  });

  it('authenticates a real agent by its first auth message and relays it under the auth server_id', async () => {
    const watcher = await dashboard();
    const pusher = await connectRecorder(agentUrl(''));
    pusher.send(JSON.stringify({ type: 'auth', server_id: 'uuid-1234', token: TOKEN, version: '1.4.2' }));
    const reply = await pusher.next(ofType('auth'), 2000);
    expect(reply.json).toEqual({ type: 'auth', status: 'ok' });
    pusher.send(JSON.stringify({ type: 'heartbeat', timestamp: new Date().toISOString() }));
    pusher.send(documentedMetrics('real-host', 3).replace('"data":', '"metrics":'));
    await watcher.next(both(ofType('metrics'), about('uuid-1234')), 2000, 'relayed metrics');
    expect(envelope(watcher.frames.find(both(ofType('server_added'), about('uuid-1234')))!).data).toEqual({ id: 'uuid-1234', name: 'real-host', location: '' });
    pusher.close();
    watcher.close();
  });

  it('takes backfills of 10,000 reports, acknowledges each batch, relays every reading to a dashboard that reads slowly and to one that connects later, and answers the next auth with last_seen', async () => {
    const watcher = await dashboard();
    const pusher = await connectRecorder(agentUrl(''));
    pusher.send(JSON.stringify({ type: 'auth', server_id: 'backfiller', token: TOKEN, version: '1' }));
    expect((await pusher.next(ofType('auth'), 2000)).json).toEqual({ type: 'auth', status: 'ok' });
    const startMs = Date.now() - 5 * 3_600_000;
    const reports = Array.from({ length: 10_000 }, (_, index) => ({ ...(JSON.parse(documentedMetrics('backfiller', index % 100)) as { data: Record<string, unknown> }).data, timestamp: new Date(startMs + index * 1000).toISOString() }));
    // The dashboard stops reading: the relay is many times its 1 MiB send bound and the loopback buffers.
    watcher.socket.pause();
    for (let batch = 0; batch < 5; batch += 1) {
      pusher.send(JSON.stringify({ type: 'batch_metrics', batch_id: `b-${batch}`, metrics: reports.slice(batch * 2000, batch * 2000 + 2000) }));
      expect((await pusher.next((frame) => ofType('batch_ack')(frame) && (frame.json as { batch_id: string }).batch_id === `b-${batch}`, 5000)).json).toEqual({ type: 'batch_ack', batch_id: `b-${batch}`, accepted: 2000, rejected: 0 });
    }
    await sleep(500);
    watcher.socket.resume();
    const relayed = (): { timestamp: string }[] =>
      watcher.frames.filter(both(ofType('history'), about('backfiller'))).flatMap((frame) => (envelope(frame).data.readings as { timestamp: string }[]));
    for (const startedAt = Date.now(); relayed().length < reports.length && Date.now() - startedAt < 10_000; ) await sleep(50);
    expect(relayed().map((reading) => Date.parse(reading.timestamp))).toEqual(reports.map((report) => Date.parse(report.timestamp as string)));
    // A dashboard that connects afterwards (say, after this hub restarted and its agents came back first) gets it too.
    const late = await dashboard();
    const lateRelayed = (): number => late.frames.filter(both(ofType('history'), about('backfiller'))).reduce((sum, frame) => sum + (envelope(frame).data.readings as unknown[]).length, 0);
    for (const startedAt = Date.now(); lateRelayed() < reports.length && Date.now() - startedAt < 10_000; ) await sleep(50);
    expect(lateRelayed()).toBe(reports.length);
    late.close();
    pusher.close();
    const again = await connectRecorder(agentUrl(''));
    again.send(JSON.stringify({ type: 'auth', server_id: 'backfiller', token: TOKEN, version: '1' }));
    // To the second, as real hubs send it.
    const newestSecond = new Date(Math.floor(Date.parse(reports.at(-1)!.timestamp as string) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    expect((await again.next(ofType('auth'), 2000)).json).toEqual({ type: 'auth', status: 'ok', last_seen: newestSecond });
    again.close();
    watcher.close();
  });

  it('refuses a wrong query token with HTTP 401 before the upgrade', async () => {
    expect(await refusedStatus(agentUrl('?token=wrong'))).toBe(401);
    expect(await refusedStatus(agentUrl('?token='))).toBe(401);
  });

  it('answers a wrong token in the auth message with an error and disconnects at once', async () => {
    const pusher = await connectRecorder(agentUrl(''));
    pusher.send(JSON.stringify({ type: 'auth', server_id: 'intruder', token: 'wrong', version: '1' }));
    expect((await pusher.closed).code).toBe(1008);
    expect(pusher.frames.map((frame) => frame.json)).toEqual([{ type: 'auth', status: 'error', message: 'Invalid token' }]);
  });

  it.each([
    ['metrics before auth', documentedMetrics('sneaky', 1)],
    ['non-JSON', 'hello'],
    ['binary garbage', randomBytes(64)],
    ['an unknown type', '{"type":"register"}'],
  ])('disconnects an agent without a query token whose first message is %s', async (_what, first) => {
    const pusher = await connectRecorder(agentUrl(''));
    pusher.send(first);
    expect((await pusher.closed).code).toBe(1008);
  });

  it('ignores non-JSON, wrong types, binary garbage and unknown types after auth, and keeps relaying', async () => {
    const watcher = await dashboard();
    const pusher = await connectRecorder(agentUrl());
    for (const junk of ['{', 'null', '{"type":"metrics","data":{"cpu":{"usage":"high"}}}', '{"type":"metrics"}', '{"type":"batch_metrics","metrics":[]}', '{"type":"auth"}']) pusher.send(junk);
    pusher.send(randomBytes(2048));
    pusher.send(documentedMetrics('after-junk', 7));
    await watcher.next(both(ofType('metrics'), about('after-junk')), 2000, 'relayed metrics after junk');
    expect(pusher.socket.readyState).toBe(pusher.socket.OPEN);
    pusher.close();
    watcher.close();
  });

  it('refuses a server id that is this machine or not a plain name', async () => {
    for (const serverId of [os.hostname(), 'bad id\n', '../etc']) {
      const pusher = await connectRecorder(agentUrl(''));
      pusher.send(JSON.stringify({ type: 'auth', server_id: serverId, token: TOKEN, version: '1' }));
      expect((await pusher.closed).code).toBe(1008);
      expect((pusher.frames[0]?.json as { status?: string } | undefined)?.status).toBe('error');
    }
  });

  it('lets a newer connection of the same server id take over without removing the server', async () => {
    const watcher = await dashboard();
    const first = await connectRecorder(agentUrl());
    first.send(documentedMetrics('twin', 1));
    await watcher.next(both(ofType('metrics'), about('twin')), 2000);
    const second = await connectRecorder(agentUrl());
    second.send(documentedMetrics('twin', 2));
    expect((await first.closed).code).toBe(4000);
    await watcher.collect(both(ofType('metrics'), about('twin')), 2, 2000);
    expect(watcher.frames.filter(both(ofType('server_added'), about('twin')))).toHaveLength(1);
    expect(watcher.frames.filter(ofType('server_removed'))).toEqual([]);
    second.close();
    watcher.close();
  });

  it('closes a client that sends a frame over 256 KiB before auth, or over --vstats-max-backfill-bytes after, with 1009 and the reason, while a dashboard keeps receiving', async () => {
    const watcher = await dashboard();
    for (const url of [agentUrl(''), agent.url('vstats')]) {
      const attacker = await connectRecorder(url);
      attacker.send(Buffer.alloc(1024 * 1024, 0x41));
      expect(await attacker.closed).toMatchObject({ code: 1009 });
    }
    const early = await connectRecorder(agentUrl(''));
    early.send(Buffer.alloc(300 * 1024, 0x41));
    expect((await early.closed).reason).toBe('message over 262144 bytes before auth (--vstats-max-frame-bytes)');
    // Authenticated: a megabyte is a backfill, taken; three are too many.
    const trusted = await connectRecorder(agentUrl(''));
    trusted.send(JSON.stringify({ type: 'auth', server_id: 'too-big', token: TOKEN, version: '1' }));
    trusted.send(JSON.stringify({ type: 'heartbeat', pad: 'x'.repeat(1024 * 1024) }));
    await trusted.next(ofType('auth'), 2000, 'auth reply');
    await sleep(300);
    expect(trusted.socket.readyState).toBe(trusted.socket.OPEN);
    trusted.send(Buffer.alloc(3 * 1024 * 1024, 0x41));
    expect(await trusted.closed).toMatchObject({ code: 1009, reason: `message over ${2 * 1024 * 1024} bytes (--vstats-max-backfill-bytes)` });
    // A real agent would send the same backfill again on reconnecting: it hears it has nothing older to send.
    const again = await connectRecorder(agentUrl(''));
    const sentAt = Date.now();
    again.send(JSON.stringify({ type: 'auth', server_id: 'too-big', token: TOKEN, version: '1' }));
    const reply = envelope(await again.next(ofType('auth'), 2000, 'auth reply')) as unknown as { status: string; last_seen: string };
    expect(reply.status).toBe('ok');
    expect(Date.parse(reply.last_seen)).toBeGreaterThanOrEqual(sentAt - 5000);
    again.close();
    const before = watcher.frames.filter(ofType('metrics')).length;
    await watcher.collect(ofType('metrics'), before + 1, 3000);
    watcher.close();
  });

  it('logs hostile clients at debug level only, never a token', () => {
    expect(agent.logs.some((line) => line.includes('Max payload size exceeded'))).toBe(true);
    // The one warning: an authenticated agent's backfill over the limit, which the user can raise.
    expect(agent.logs.filter((line) => / (error|warn) /.test(line))).toEqual([expect.stringContaining('agent too-big sent a message over 2097152 bytes (a backfill after an outage) and was closed; its gap stays empty. Raise --vstats-max-backfill-bytes')]);
    expect(agent.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
  });
});

describe('vstats server: the agent token', () => {
  it('is generated at first run, kept with mode 0600 in the data dir, named in a notice but never printed, and reused', async () => {
    const dataDir = tempDataDir();
    const first = await startTestAgent(['--data-dir', dataDir]);
    const file = path.join(dataDir, 'vstats-agent-token');
    const { mode } = statSync(file);
    expect(mode & 0o777).toBe(0o600);
    const token = readFileSync(file, 'utf8').trim();
    expect(first.notices.filter((line) => line.includes(file))).toHaveLength(1);
    expect([...first.notices, ...first.logs].some((line) => line.includes(token))).toBe(false);
    await first.close();

    const second = await startTestAgent(['--data-dir', dataDir]);
    try {
      const pusher = await connectRecorder(second.url('vstats', 'agents') + `?token=${encodeURIComponent(token)}`);
      pusher.send(JSON.stringify({ type: 'auth', server_id: 'reuse', token, version: '1' }));
      expect((await pusher.next(ofType('auth'), 2000)).json).toEqual({ type: 'auth', status: 'ok' });
      pusher.close();
      await sleep(10);
    } finally {
      await second.close();
    }
  });
});
