import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ProtocolClient, SessionContext } from '../client';
import { type ConnectionState } from '../connection';
import { serverFrames } from '../../test-support/recorded-session';
import { type FixtureServer, type FixtureOptions } from '../../test-support/fixture-server';
import { recordSink, type RecordedSink } from '../../test-support/sink-recorder';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { sleep } from '../../test-support/ws-recorder';
import { createSocktopClient, socktopClient } from './client';
import { SOCKTOP_TIMINGS, SocktopSession } from './session';
import { REAL_METRICS, realAgent, type RealAgentOptions, type RealAgentStats } from './test-real-agent';
import { connectClient, serveFixture } from '../../test-support/client-harness';
import { cleanupAfterEach } from '../../test-support/cleanups';

const cleanups = cleanupAfterEach();

function connect(url: string, client: ProtocolClient = socktopClient) {
  const states: ConnectionState[] = [];
  return { ...connectClient(cleanups, 'socktop', url, client, { onState: (state) => states.push(state) }), states };
}

async function agent(args: string[] = [], fakeGpus = false): Promise<TestAgent> {
  const started = await startTestAgent(args, { fakeGpus });
  cleanups.push(() => started.close());
  return started;
}

function fixture(onConnection: FixtureOptions['onConnection']): Promise<FixtureServer> {
  return serveFixture(cleanups, onConnection);
}

async function realFixture(options: RealAgentOptions = {}) {
  const stats: RealAgentStats = { maxInFlight: 0, requests: [] };
  const server = await fixture(realAgent(options, stats));
  return { server, stats };
}

const lastSample = (sink: RecordedSink) => sink.samples.at(-1)!.sample;
const noDroppedFrames = (sink: RecordedSink) => expect(sink.events.filter(({ event }) => event.kind === 'alert')).toEqual([]);

describe('socktop client against our agent', () => {
  it('reads host, CPU per core, memory, swap, GPUs, network counters with rates, and disks', async () => {
    const running = await agent([], true);
    const url = running.url('socktop');
    const { sink } = connect(url);
    await sink.until(() => sink.samples.length >= 3 && lastSample(sink).disks !== undefined, 6000, 'three samples with disks');
    const host = [...sink.hosts.values()][0];
    expect(host).toMatchObject({ id: new URL(url).host, hostname: os.hostname(), gpus: [{ index: 0, name: 'NVIDIA RTX A6000' }, { index: 1, name: 'NVIDIA RTX A6000' }] });
    const sample = lastSample(sink);
    expect(sample.cpu?.perCorePercent).toHaveLength(os.availableParallelism());
    expect(sample.memory?.totalBytes).toBe(host?.memoryTotalBytes);
    expect(sample.memory?.swapTotalBytes).toEqual(expect.any(Number));
    expect(sample.gpus?.[0]).toMatchObject({ utilizationPercent: expect.any(Number), memoryTotalBytes: 49140 * 1024 * 1024 });
    expect(sample.disks?.[0]).toMatchObject({ name: expect.any(String), totalBytes: expect.any(Number), availableBytes: expect.any(Number) });
    const loopback = sample.network?.interfaces?.find((net) => net.name === 'lo');
    expect(loopback?.rxBytes).toBeGreaterThan(0);
    expect(loopback?.rxBytesPerSec).toBeGreaterThanOrEqual(0);
    expect(sample.processes).toBeUndefined();
    expect(Math.abs(sample.timeMs - Date.now())).toBeLessThan(5000);
    noDroppedFrames(sink);
  });

  it('adds the full process list to samples only while processes are asked for', async () => {
    const running = await agent();
    const { sink, connection } = connect(running.url('socktop'));
    await sink.until(() => sink.samples.length >= 1, 4000, 'a first sample');
    connection.setInterest({ processes: true });
    await sink.until(() => lastSample(sink).processes !== undefined, 8000, 'a sample with processes');
    const sample = lastSample(sink);
    expect(sample.processes?.find((row) => row.pid === process.pid)?.memoryBytes).toBeGreaterThan(0);
    expect(sample.processCount).toBe(sample.processes?.length);
    connection.setInterest({});
    const count = sink.samples.length;
    await sink.until(() => sink.samples.length >= count + 2, 4000, 'two more samples');
    expect(lastSample(sink).processes).toBeUndefined();
  });

  it('reports auth-required when the token is missing or wrong (HTTP 401), and reads the agent with the right one', async () => {
    const running = await agent(['--socktop-token', 's3cret']);
    const url = running.url('socktop');
    const missing = connect(url);
    const wrong = connect(`${url}?token=nope`);
    const right = connect(`${url}?token=s3cret`);
    await right.sink.until(() => right.sink.samples.length >= 1, 4000, 'a sample with the right token');
    for (const refused of [missing, wrong]) {
      await sleep(100);
      expect(refused.connection.state).toMatchObject({ status: 'auth-required', reason: expect.stringMatching(/401/) });
      expect(refused.sink.samples).toEqual([]);
    }
  });
});

describe('socktop client against the real agent', () => {
  it('reads gzip-compressed metrics in binary frames, GPU key aliases, disks and protobuf processes', async () => {
    const { server } = await realFixture();
    const { sink, connection } = connect(server.url('/ws'));
    connection.setInterest({ processes: true });
    await sink.until(() => sink.samples.some(({ sample }) => sample.processes !== undefined && sample.disks !== undefined), 6000, 'a sample with processes and disks');
    expect([...sink.hosts.values()][0]).toMatchObject({ hostname: 'render-07', memoryTotalBytes: 67_108_864_000, gpus: [{ name: 'NVIDIA GeForce RTX 5080', memoryTotalBytes: 17_179_869_184 }] });
    const sample = sink.samples.find(({ sample: each }) => each.processes !== undefined)!.sample;
    expect(sample.gpus).toEqual([{ index: 0, name: 'NVIDIA GeForce RTX 5080', utilizationPercent: 37, memoryUsedBytes: 2_147_483_648, memoryTotalBytes: 17_179_869_184 }]);
    expect(sample.processes).toEqual([
      { pid: 1, name: 'init', cpuPercent: 0.5, memoryBytes: 4096 },
      { pid: 500, name: 'sshd', cpuPercent: 1.5, memoryBytes: 3_145_728 },
    ]);
    expect(sample.processCount).toBe(2);
    expect(sample.disks?.map((disk) => disk.name)).toEqual(['nvme0n1p2', 'sda']);
    expect(server.received.filter((frame) => !['get_metrics', 'get_disks', 'get_processes'].includes(frame))).toEqual([]);
    noDroppedFrames(sink);
  });

  it('reads an older agent that answers processes in JSON and repeats one cached reading', async () => {
    const { server } = await realFixture({ processesAsJson: true, metrics: (count) => ({ ...REAL_METRICS, sampled_at_ms: REAL_METRICS.sampled_at_ms + Math.floor(count / 2) * 1000 }) });
    const { sink, connection } = connect(server.url('/ws'));
    connection.setInterest({ processes: true });
    await sink.until(() => sink.samples.length >= 2, 6000, 'two samples');
    const times = sink.samples.map(({ sample }) => sample.timeMs);
    expect(new Set(times).size).toBe(times.length);
    await sink.until(() => lastSample(sink).processes !== undefined, 6000, 'processes');
    expect(lastSample(sink).processes?.map((row) => row.name)).toEqual(['init', 'sshd']);
  });

  it('computes network rates from successive counters, leaving loopback out of the totals', async () => {
    const { server } = await realFixture({
      metrics: (count) => ({
        ...REAL_METRICS,
        sampled_at_ms: REAL_METRICS.sampled_at_ms + count * 1000,
        networks: [
          { name: 'lo', received: 1_000_000 * count, transmitted: 0 },
          { name: 'eth0', received: 1000 + 2048 * count, transmitted: 500 + 100 * count },
        ],
      }),
    });
    const { sink } = connect(server.url('/ws'));
    await sink.until(() => sink.samples.length >= 2, 4000, 'two samples');
    expect(sink.samples[0]!.sample.network).toMatchObject({ rxTotalBytes: 1000, txTotalBytes: 500 });
    expect(sink.samples[0]!.sample.network?.rxBytesPerSec).toBeUndefined();
    expect(sink.samples[1]!.sample.network).toMatchObject({
      rxTotalBytes: 3048,
      rxBytesPerSec: 2048,
      txBytesPerSec: 100,
      interfaces: [
        { name: 'lo', rxBytesPerSec: 1_000_000 },
        { name: 'eth0', rxBytesPerSec: 2048, txBytesPerSec: 100 },
      ],
    });
  });

  it('reports auth-required when the real agent upgrades a wrong token and closes at once', async () => {
    const { server } = await realFixture({ token: 'right' });
    const { connection, sink } = connect(server.url('/ws', '?token=wrong'));
    await sleep(500);
    expect(connection.state).toEqual({ status: 'auth-required', reason: 'The server closed the connection at once; the token is probably wrong or missing.' });
    expect(sink.samples).toEqual([]);
    const good = connect(server.url('/ws', '?token=right'));
    await good.sink.until(() => good.sink.samples.length >= 1, 4000, 'a sample with the right token');
  });

  it('polls metrics every second and disks every five, one request at a time, and never processes unasked', async () => {
    const { server, stats } = await realFixture({ replyDelayMs: 150 });
    connect(server.url('/ws'));
    await sleep(5600);
    const at = (text: string) => stats.requests.filter((request) => request.text === text).map((request) => request.atMs);
    expect(stats.maxInFlight).toBe(1);
    expect(at('get_processes')).toEqual([]);
    expect(at('get_metrics').length).toBeGreaterThanOrEqual(5);
    expect(at('get_metrics').length).toBeLessThanOrEqual(7);
    expect(at('get_disks')).toHaveLength(2);
    expect(at('get_disks')[1]! - at('get_disks')[0]!).toBeGreaterThan(4000);
  });

  it('polls processes every two seconds only while they are asked for', async () => {
    const { server, stats } = await realFixture();
    const { connection, sink } = connect(server.url('/ws'));
    await sink.until(() => sink.samples.length >= 1, 4000, 'a first sample');
    const processes = () => stats.requests.filter((request) => request.text === 'get_processes');
    connection.setInterest({ processes: true });
    await sleep(2600);
    expect(processes()).toHaveLength(2);
    expect(processes()[1]!.atMs - processes()[0]!.atMs).toBeGreaterThan(1500);
    connection.setInterest({ processes: false });
    await sleep(2500);
    expect(processes()).toHaveLength(2);
    expect(stats.maxInFlight).toBe(1);
  });

  it('fails the socket with a retry when a request gets no reply within 5 s, having sent nothing else meanwhile', async () => {
    const server = await fixture(() => {});
    const { states } = connect(server.url('/ws'));
    await sleep(4500);
    expect(states.at(-1)?.status).toBe('connected');
    expect(server.received).toEqual(['get_metrics']);
    await sleep(1500);
    expect(states.find((state) => state.status === 'reconnecting')).toMatchObject({ reason: 'socktop: get_metrics got no reply within 5 s; the request timed out' });
  });

  it('never throws on hostile replies, pairs each with its request, and reads the good ones after them', async () => {
    const hostile: (string | Buffer)[] = [
      '{',
      'null',
      '[]',
      JSON.stringify({ ...REAL_METRICS, cpu_total: 'x' }),
      JSON.stringify({ ...REAL_METRICS, cpu_total: 1e400 }),
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]),
      gzipSync(Buffer.alloc(64 * 1024 * 1024)),
      Buffer.from([0xff, 0x00, 0x13]),
      '"'.repeat(100_000),
      ...serverFrames(path.resolve(import.meta.dirname, '../gpu-usage/fixtures/reference-server.jsonl')),
    ];
    const server = await fixture((socket) => {
      let replies = 0;
      socket.on('message', () => socket.send(replies < hostile.length ? hostile[replies++]! : JSON.stringify({ ...REAL_METRICS, sampled_at_ms: Date.now() + replies++ })));
    });
    const { sink, connection } = connect(server.url('/ws'), createSocktopClient({ ...SOCKTOP_TIMINGS, metricsIntervalMs: 50 }));
    await sink.until(() => sink.samples.length >= 1, 8000, 'a good sample after the hostile ones');
    expect(lastSample(sink).cpu?.totalPercent).toBe(7.5);
    expect(connection.state.status).toBe('connected');
    noDroppedFrames(sink);
  });
});

describe('socktop session', () => {
  it('ignores a frame that arrives when no request is waiting, and sends the next request on schedule', async () => {
    const sent: (string | Uint8Array)[] = [];
    const sink = recordSink();
    const context: SessionContext = { send: (data) => sent.push(data) > 0, sink, fail: () => {}, hostLabel: 'h:3000' };
    const session = new SocktopSession(context, { ...SOCKTOP_TIMINGS, metricsIntervalMs: 50 });
    cleanups.push(() => session.dispose());
    expect(sent).toEqual(['get_metrics']);
    session.onMessage(JSON.stringify(REAL_METRICS));
    expect(sent).toEqual(['get_metrics', 'get_disks']);
    session.onMessage('[]');
    session.onMessage(JSON.stringify({ ...REAL_METRICS, sampled_at_ms: 1 }));
    expect(sink.samples).toHaveLength(1);
    await sleep(120);
    expect(sent.filter((frame) => frame === 'get_metrics').length).toBe(2);
  });
});

describe('socktop detection', () => {
  it('is fingerprinted by a get_metrics reply in text or gzip binary, and by nothing else', async () => {
    expect(socktopClient.probe).toBe('get_metrics');
    expect(socktopClient.fingerprint(JSON.stringify(REAL_METRICS))).toBe('answered get_metrics with cpu_total and cpu_per_core');
    expect(socktopClient.fingerprint(new Uint8Array(gzipSync(JSON.stringify(REAL_METRICS))))).not.toBeNull();
    const fixtures = path.resolve(import.meta.dirname, '..');
    const others = [
      ...serverFrames(path.join(fixtures, 'gpu-usage/fixtures/reference-server.jsonl')),
      '{"type":"welcome","data":{"message":"Connected to SysMedic"}}',
      '{"type":"stats_update","cpu":5,"ram_used":1,"ram_total":2,"timestamp":1}',
      '{"type":"metrics","data":{"server_id":"a","metrics":{"cpu":{"usage":5,"cores":4}}}}',
      '{"cpu_total":5}',
      '[]',
    ];
    for (const frame of others) expect(socktopClient.fingerprint(frame), frame).toBeNull();
  });

  it('reads a close within a second of opening with no frame as a refused token, and any other close as a retry', () => {
    const classify = socktopClient.classifyClose!;
    expect(classify({ openForMs: 20, framesReceived: 0, code: 1000, url: 'ws://h:3000/ws' })?.kind).toBe('auth');
    expect(classify({ openForMs: 20, framesReceived: 1, code: 1000, url: 'ws://h:3000/ws' })).toBeNull();
    expect(classify({ openForMs: 5000, framesReceived: 0, code: 1006, url: 'ws://h:3000/ws' })).toBeNull();
  });
});
