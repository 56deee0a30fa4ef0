import path from 'node:path';
import { connectClient, serveFixture } from '../../test-support/client-harness';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionContext } from '../client';
import { type ConnectionState } from '../connection';
import { replaySession, type FixtureServer, type FixtureOptions } from '../../test-support/fixture-server';
import { serverFrames } from '../../test-support/recorded-session';
import { recordSink } from '../../test-support/sink-recorder';
import { startTestAgent } from '../../test-support/test-agent';
import { sleep } from '../../test-support/ws-recorder';
import { REQUEST_TIMEOUT_MS, SYSTEM_INFO_INTERVAL_MS, sysmedicClient, TIMEOUTS_BEFORE_GIVING_UP } from './client';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const DAEMON = path.join(FIXTURES, 'daemon-requests-ignored.jsonl');
const REQUEST_RESPONSE = path.join(FIXTURES, 'request-response-server.jsonl');
const SECRET = 'client-test-secret';

const cleanups = cleanupAfterEach();
afterEach(() => {
  vi.useRealTimers();
});

/** Polls a condition that no sink callback announces (connection states), bounded in time. */
async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  for (const startedAt = Date.now(); !predicate(); await sleep(20)) {
    if (Date.now() - startedAt > timeoutMs) throw new Error(`${what} not reached within ${timeoutMs} ms`);
  }
}

function connect(url: string) {
  const states: ConnectionState[] = [];
  return { ...connectClient(cleanups, 'sysmedic', url, sysmedicClient, { onState: (state) => states.push(state) }), states };
}

const fixture = (options: FixtureOptions): Promise<FixtureServer> => serveFixture(cleanups, options);

const welcome = JSON.stringify({ type: 'welcome', data: { message: 'Connected to SysMedic', version: '1.0.5', system: 'Ubuntu 22.04.5 LTS', status: 'Light Usage', daemon: 'Running' }, timestamp: '2026-11-22T04:20:31Z' });
const update = (cpu: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ type: 'system_update', data: { cpu_usage: cpu, memory_usage: 20, disk_usage: 30, uptime: '1h 2m' }, timestamp: '2026-11-22T04:20:34Z', ...extra });

describe('sysmedic client against our agent', () => {
  it('reads welcome, streams system_update and gets the load average from get_system_info', async () => {
    const agent = await startTestAgent(['--sysmedic-interval', '1', '--sysmedic-secret', SECRET]);
    cleanups.push(() => agent.close());
    const endpoint = agent.connect.find((candidate) => candidate.protocol === 'sysmedic')!;
    const { sink } = connect(endpoint.url);
    await sink.until(() => sink.samples.some(({ sample }) => sample.cpu?.load) && sink.samples.some(({ sample }) => !sample.cpu?.load), 5000, 'a system_update and a get_system_info sample');
    const [host] = [...sink.hosts.values()];
    const { port } = agent.endpoint('sysmedic');
    expect(host).toMatchObject({ id: `127.0.0.1:${port}`, hostname: `127.0.0.1:${port}`, os: { name: expect.any(String) }, serverStatus: expect.stringMatching(/Usage|Load/) });
    const streamed = sink.samples.find(({ sample }) => !sample.cpu?.load)!.sample;
    expect(streamed.diskUsedPercent).toBeGreaterThan(0);
    expect(streamed.uptimeSec).toBeGreaterThanOrEqual(0);
    expect(Math.abs(streamed.timeMs - Date.now())).toBeLessThan(10_000);
    const answered = sink.samples.find(({ sample }) => sample.cpu?.load)!.sample;
    expect(answered.cpu!.load).toHaveLength(3);
  });

  it('reports auth-required, without retrying, for a missing or wrong secret', async () => {
    const agent = await startTestAgent(['--sysmedic-secret', SECRET]);
    cleanups.push(() => agent.close());
    for (const url of [agent.url('sysmedic'), `${agent.url('sysmedic')}?secret=wrong`]) {
      const { states } = connect(url);
      await waitFor(() => states.some((state) => state.status === 'auth-required'), 3000, `auth-required for ${url}`);
      await sleep(1500);
      expect(states.filter((state) => state.status === 'connecting')).toHaveLength(1);
      expect(states.at(-1)).toMatchObject({ status: 'auth-required', reason: expect.stringContaining('401') });
    }
  });
});

describe('sysmedic client against recorded real servers', () => {
  it('reads the shipped daemon session, with load from its extra `system`, and never surfaces its config', async () => {
    const server = await fixture({ onConnection: replaySession(DAEMON, 10) });
    const { sink } = connect(server.url('/ws', '?secret=peer_secret'));
    await sink.until(() => sink.samples.length === 3, 4000, 'the three recorded system_updates');
    expect([...sink.hosts.values()]).toEqual([{ id: `127.0.0.1:${server.port}`, hostname: `127.0.0.1:${server.port}`, os: { name: 'Debian GNU/Linux 12 (bookworm)' }, serverStatus: 'Light Usage' }]);
    expect(sink.samples[0]!.sample).toEqual({ timeMs: 1_795_321_190_000, cpu: { totalPercent: 0, load: [0.28, 0.17, 0.2] }, memory: { usedPercent: 1.173489048785966 }, diskUsedPercent: 69.43554330391642, uptimeSec: 3060 });
    expect(JSON.stringify({ hosts: [...sink.hosts.values()], samples: sink.samples, events: sink.events })).not.toMatch(/peer_secret|smtp|password/);
    expect(JSON.parse(server.received[0]!)).toEqual({ type: 'get_system_info', request_id: expect.any(String) });
  });

  it('reads the request/response server session and ignores replies to requests it never sent', async () => {
    const server = await fixture({ onConnection: replaySession(REQUEST_RESPONSE, 10) });
    const { sink } = connect(server.url('/ws', '?secret=x'));
    await sink.until(() => sink.samples.length === 3, 4000, 'the three recorded system_updates');
    expect(sink.samples.map(({ sample }) => sample.timeMs)).toEqual(['2026-11-22T04:20:34Z', '2026-11-22T04:20:37Z', '2026-11-22T04:20:40Z'].map(Date.parse));
    expect(sink.events).toEqual([]);
  });
});

describe('sysmedic client requests', () => {
  it('matches get_system_info replies by request_id from a server that answers as PROTOCOLS.md documents', async () => {
    const server = await fixture({
      onConnection(socket) {
        socket.send(welcome);
        socket.on('message', (raw) => {
          const request = JSON.parse(raw.toString()) as { type: string; request_id: string };
          socket.send(JSON.stringify({ type: 'system_info_response', data: { cpu_usage: 12, memory_usage: 34, disk_usage: 56, uptime: '2d 4h 32m', load_avg: '0.13, 0.14, 0.18', network_io: '0.00 MB/s' }, timestamp: '2026-11-22T04:20:36.017785462Z', request_id: request.request_id }));
        });
      },
    });
    const { sink } = connect(server.url('/ws', '?secret=x'));
    await sink.until(() => sink.samples.length === 1, 3000, 'the answered get_system_info');
    expect(sink.samples[0]!.sample).toEqual({ timeMs: 1_795_321_236_017, cpu: { totalPercent: 12, load: [0.13, 0.14, 0.18] }, memory: { usedPercent: 34 }, diskUsedPercent: 56, uptimeSec: 2 * 86400 + 4 * 3600 + 32 * 60 });
  });

  it('keeps streaming from a daemon that ignores every request', async () => {
    const server = await fixture({
      onConnection(socket) {
        socket.send(welcome);
        let cpu = 0;
        const timer = setInterval(() => socket.send(update(cpu++)), 100);
        socket.on('close', () => clearInterval(timer));
      },
    });
    const { sink, connection } = connect(server.url('/ws', '?secret=x'));
    await sink.until(() => sink.samples.length >= 15, 5000, 'fifteen streamed samples');
    expect(sink.samples.slice(0, 15).map(({ sample }) => sample.cpu?.totalPercent)).toEqual([...Array(15).keys()]);
    expect(connection.state.status).toBe('connected');
    expect(server.received).toHaveLength(1);
  });

  function fakeSession() {
    const sent: string[] = [];
    const sink = recordSink();
    const context: SessionContext = { send: (frame) => (sent.push(String(frame)), true), sink, fail: () => {}, hostLabel: 'box:8060' };
    return { sent, sink, session: sysmedicClient.open(context) };
  }

  it('asks every 10 s, stops asking after a few unanswered requests, and keeps reading updates', () => {
    vi.useFakeTimers();
    const { sent, sink, session } = fakeSession();
    cleanups.push(() => session.dispose());
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(SYSTEM_INFO_INTERVAL_MS * 20);
    expect(sent).toHaveLength(TIMEOUTS_BEFORE_GIVING_UP);
    expect(new Set(sent.map((frame) => (JSON.parse(frame) as { request_id: string }).request_id)).size).toBe(sent.length);
    session.onMessage(update(42));
    expect(sink.samples.map(({ sample }) => sample.cpu?.totalPercent)).toEqual([42]);
  });

  it('keeps asking while replies come, ignores late replies, and stops when the server calls the request unknown', () => {
    vi.useFakeTimers();
    const { sent, sink, session } = fakeSession();
    cleanups.push(() => session.dispose());
    const reply = (frame: string, extra: object) => session.onMessage(JSON.stringify({ timestamp: '2026-11-22T04:20:36Z', request_id: (JSON.parse(frame) as { request_id: string }).request_id, ...extra }));
    const info = { type: 'system_info_response', data: { cpu_usage: 5, load_avg: '1.00, 2.00, 3.00' } };
    for (let round = 0; round < 6; round++) {
      reply(sent.at(-1)!, info);
      vi.advanceTimersByTime(SYSTEM_INFO_INTERVAL_MS);
    }
    expect(sent).toHaveLength(7);
    expect(sink.samples).toHaveLength(6);
    vi.advanceTimersByTime(REQUEST_TIMEOUT_MS + 1);
    reply(sent.at(-1)!, info);
    expect(sink.samples).toHaveLength(6);
    vi.advanceTimersByTime(SYSTEM_INFO_INTERVAL_MS - REQUEST_TIMEOUT_MS);
    expect(sent).toHaveLength(8);
    reply(sent.at(-1)!, { type: 'error', data: { error: 'Unknown request type: get_system_info' } });
    vi.advanceTimersByTime(SYSTEM_INFO_INTERVAL_MS * 5);
    expect(sent).toHaveLength(8);
  });
});

describe('sysmedic client events and hostile input', () => {
  it('turns alert broadcasts and the daemon’s unresolved alerts into events, each daemon alert once', async () => {
    const daemonAlert = { ID: 3, Timestamp: '2026-11-22T04:00:00Z', Severity: 'medium', Message: 'User alice above CPU threshold', Resolved: false };
    const server = await fixture({
      onConnection(socket) {
        socket.send(welcome);
        socket.send(JSON.stringify({ type: 'alert', data: { status: 'Heavy Load', system_metrics: { cpu_usage: 85.3, memory_usage: 91.2, disk_usage: 45.6 }, user_metrics: [], persistent_users: ['dbuser'], primary_cause: 'High system memory usage', recommendations: ['Check memory-intensive processes'] }, timestamp: '2026-11-22T04:09:15Z' }));
        socket.send(update(1, { alerts: [daemonAlert] }));
        socket.send(update(2, { alerts: [daemonAlert] }));
      },
    });
    const { sink } = connect(server.url('/ws', '?secret=x'));
    await sink.until(() => sink.samples.length === 2, 3000, 'two samples');
    expect(sink.events.map(({ event }) => event)).toEqual([
      { kind: 'alert', timeMs: Date.parse('2026-11-22T04:09:15Z'), severity: 'critical', metric: 'memory', valuePercent: 91.2, message: 'Heavy Load: High system memory usage' },
      { kind: 'alert', timeMs: Date.parse('2026-11-22T04:00:00Z'), severity: 'warning', metric: 'cpu', message: 'User alice above CPU threshold' },
    ]);
  });

  it('never throws on hostile frames and keeps reading the good ones after them', async () => {
    const server = await fixture({
      onConnection(socket) {
        for (const junk of ['{', '[]', 'null', '{"type":"system_update","data":{"cpu_usage":{}}}', '{"type":"alert","data":null}', '{"type":"pong","request_id":"nobody"}', '{"type":"error","request_id":["x"]}', '"'.repeat(100_000)]) socket.send(junk);
        socket.send(Buffer.from([0xff, 0x00, 0x13]));
        socket.send(update(1e400));
        socket.send(JSON.stringify({ type: 'config', data: { secret: 'leak', password: 'leak' } }));
        socket.send(update(9.5));
      },
    });
    const { sink, connection } = connect(server.url('/ws', '?secret=x'));
    await sink.until(() => sink.samples.length === 1, 3000, 'the one good sample');
    expect(sink.samples[0]!.sample.cpu?.totalPercent).toBe(9.5);
    expect(sink.events).toEqual([]);
    expect(JSON.stringify([...sink.hosts.values()])).not.toContain('leak');
    expect(connection.state.status).toBe('connected');
  });
});

describe('sysmedic fingerprint', () => {
  it('recognizes the welcome and system_update of both real servers', () => {
    for (const file of [DAEMON, REQUEST_RESPONSE]) {
      const reasons = serverFrames(file).map((frame) => sysmedicClient.fingerprint(frame));
      expect(reasons[0]).toMatch(/welcome/);
      expect(reasons[1]).toBeNull();
      expect(reasons[2]).toMatch(/system_update/);
    }
  });

  it('rejects the other protocols’ frames and binary data', () => {
    const foreign = [
      ...serverFrames(path.join(import.meta.dirname, '../gpu-usage/fixtures/reference-server.jsonl')),
      '{"cpu":3.1,"ram_total":16000,"ram_used":4000,"timestamp":1795321507000,"type":"stats_update"}',
      '{"type":"pong","timestamp":1795321507000}',
      '{"type":"stream_init","total_servers":2}',
      '{"type":"metrics","data":{"server_id":"a","metrics":{"cpu":{"usage":3}}},"timestamp":"2026-11-22T04:20:34Z"}',
      '{"cpu_total":3,"cpu_per_core":[1,2]}',
      '{"type":"welcome","data":{"message":"Connected to something else"}}',
    ];
    for (const frame of foreign) expect(sysmedicClient.fingerprint(frame)).toBeNull();
    expect(sysmedicClient.fingerprint(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(sysmedicClient.probe).toBeNull();
  });
});
