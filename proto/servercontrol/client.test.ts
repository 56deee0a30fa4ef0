import path from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';

import { detect } from '../detect';
import type { ProtocolClient } from '../client';
import { replaySession, type FixtureServer, type FixtureOptions } from '../../test-support/fixture-server';
import { serverFrames } from '../../test-support/recorded-session';

import { startTestAgent } from '../../test-support/test-agent';
import { createServerControlClient, serverControlClient } from './client';
import { connectClient, serveFixture } from '../../test-support/client-harness';
import { cleanupAfterEach } from '../../test-support/cleanups';

const MIB = 1024 * 1024;
const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const PROTO = path.join(import.meta.dirname, '..');

const cleanups = cleanupAfterEach();

function connect(url: string, client: ProtocolClient = serverControlClient) {
  return connectClient(cleanups, 'servercontrol', url, client);
}

function fixture(onConnection: FixtureOptions['onConnection']): Promise<FixtureServer> {
  return serveFixture(cleanups, onConnection);
}

describe('servercontrol client', () => {
  it('reads our agent: CPU and memory from stats_update, its hostname, and the ping round trip', async () => {
    const agent = await startTestAgent();
    cleanups.push(() => agent.close());
    const url = agent.url('servercontrol');
    const { sink } = connect(url);
    await sink.until(() => sink.samples.length >= 2 && sink.latencies.length >= 1, 5000, 'two samples and a latency');
    const hostLabel = new URL(url).host;
    const host = sink.hosts.get(hostLabel);
    expect(host).toEqual({ id: hostLabel, hostname: (await agent.sampler.hostInfo()).hostname });
    const { hostId, sample } = sink.samples[0]!;
    expect(hostId).toBe(hostLabel);
    expect(sample.cpu?.totalPercent).toBeGreaterThanOrEqual(0);
    expect(sample.memory?.totalBytes).toBeGreaterThan(0);
    expect(sample.memory!.totalBytes! % MIB).toBe(0);
    expect(sample.memory?.usedPercent).toBeGreaterThan(0);
    expect(Math.abs(sample.timeMs - Date.now())).toBeLessThan(5000);
    expect(sink.latencies[0]).toBeGreaterThanOrEqual(0);
    expect(sink.latencies[0]).toBeLessThan(2000);
  });

  it('reads task events from our agent when it runs a command', async () => {
    const token = 'client-test-token';
    const agent = await startTestAgent(['--allow-exec', '--token', token]);
    cleanups.push(() => agent.close());
    const { sink } = connect(agent.url('servercontrol'));
    await sink.until(() => sink.latencies.length >= 1, 3000, 'the first pong');
    const response = await fetch(new URL('/exec', agent.url('servercontrol', 'api')), { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{"cmd":"echo from-task"}' });
    const { task_id: taskId } = (await response.json()) as { task_id: string };
    await sink.until(() => sink.events.some(({ event }) => event.kind === 'task-complete'), 5000, 'task_complete');
    const events = sink.events.map(({ event }) => event);
    expect(events[0]).toEqual({ kind: 'task-start', timeMs: expect.any(Number), taskId, command: 'echo from-task' });
    expect(events.filter((event) => event.kind === 'task-output').map((event) => (event.kind === 'task-output' ? event.output : '')).join('')).toBe('from-task\n');
    expect(events.at(-1)).toEqual({ kind: 'task-complete', timeMs: expect.any(Number), taskId, exitCode: 0 });
  });

  it('reads the recorded v1 stream: alphabetical keys, no hostname, so the host is named by its address', async () => {
    const server = await fixture(replaySession(path.join(FIXTURES, 'v1-listen.jsonl'), 20));
    const { sink } = connect(server.url('/'));
    await sink.until(() => sink.samples.length === 5, 3000, 'the five recorded stats_update');
    const hostLabel = `127.0.0.1:${server.port}`;
    expect([...sink.hosts.values()]).toEqual([{ id: hostLabel, hostname: hostLabel }]);
    expect(sink.samples.map(({ sample }) => sample.timeMs)).toEqual([1_795_321_333_984, 1_795_321_334_985, 1_795_321_335_985, 1_795_321_336_985, 1_795_321_337_986]);
    expect(sink.samples[3]!.sample).toEqual({ timeMs: 1_795_321_336_985, cpu: { totalPercent: 0 }, memory: { usedPercent: (688 / 24105) * 100, totalBytes: 24105 * MIB, usedBytes: 688 * MIB } });
    expect(server.received[0]).toBe('{"type":"ping"}');
  });

  it('reads the recorded v1 ping-and-exec session: the pong gives a latency, the task gives its three events', async () => {
    const server = await fixture(replaySession(path.join(FIXTURES, 'v1-ping-exec.jsonl'), 10));
    const { sink } = connect(server.url('/'));
    await sink.until(() => sink.samples.length === 5 && sink.events.length === 3, 3000, 'the whole recorded session');
    expect(sink.latencies).toHaveLength(1);
    expect(sink.events.map(({ event }) => event)).toEqual([
      { kind: 'task-start', timeMs: expect.any(Number), taskId: '1', command: 'echo hi' },
      { kind: 'task-output', timeMs: 1_795_321_342_674, taskId: '1', output: 'hi\n' },
      { kind: 'task-complete', timeMs: expect.any(Number), taskId: '1', exitCode: 0 },
    ]);
  });

  it('takes the hostname a newer server adds, and the CPU alert as a warning event', async () => {
    const server = await fixture((socket) => {
      socket.send('{"cpu":12.5,"hostname":"gpu-lab-2","ram_total":64000,"ram_used":32000,"timestamp":1795321333984,"type":"stats_update"}');
      socket.send('{"cpu":95.5,"hostname":"gpu-lab-2","message":"CPU usage exceeded 90%!","timestamp":1795321334000,"type":"cpu_alert"}');
    });
    const { sink } = connect(server.url('/'));
    await sink.until(() => sink.samples.length === 1 && sink.events.length === 1, 3000, 'a sample and an alert');
    const hostLabel = `127.0.0.1:${server.port}`;
    expect(sink.hosts.get(hostLabel)).toEqual({ id: hostLabel, hostname: 'gpu-lab-2' });
    expect(sink.samples[0]!.sample.memory).toEqual({ usedPercent: 50, totalBytes: 64000 * MIB, usedBytes: 32000 * MIB });
    expect(sink.events[0]).toEqual({
      hostId: hostLabel,
      event: { kind: 'alert', timeMs: 1_795_321_334_000, severity: 'warning', metric: 'cpu', message: 'CPU usage exceeded 90%!', valuePercent: 95.5 },
    });
  });

  it('pings on every interval and reports one latency per ping, even when a pong comes twice', async () => {
    const server = await fixture((socket) => {
      socket.on('message', () => {
        socket.send(`{"timestamp":${Date.now()},"type":"pong"}`);
        socket.send(`{"timestamp":${Date.now()},"type":"pong"}`);
      });
    });
    const { sink } = connect(server.url('/'), createServerControlClient({ pingIntervalMs: 100 }));
    await sink.until(() => sink.latencies.length >= 3, 3000, 'three latencies');
    const pingsSent = server.received.filter((frame) => frame === '{"type":"ping"}').length;
    expect(sink.latencies.length).toBeLessThanOrEqual(pingsSent);
    expect(sink.latencies.every((latency) => latency >= 0 && latency < 1000)).toBe(true);
  });

  it('counts only the first of several pongs after one ping, as the real pong carries no request id', async () => {
    const server = await fixture((socket) => {
      for (let index = 0; index < 5; index += 1) socket.send(`{"timestamp":${Date.now()},"type":"pong"}`);
      socket.send('{"cpu":1,"ram_total":100,"ram_used":10,"timestamp":1795321333984,"type":"stats_update"}');
    });
    const { sink } = connect(server.url('/'), createServerControlClient({ pingIntervalMs: 60_000 }));
    await sink.until(() => sink.samples.length === 1, 3000, 'a sample');
    expect(sink.latencies).toHaveLength(1);
  });

  it('never throws on hostile frames and keeps reading the good ones after them', async () => {
    const server = await fixture((socket) => {
      const junk = [
        '{',
        '[]',
        'null',
        '"stats_update"',
        '{"type":"stats_update","cpu":{}}',
        '{"type":"stats_update","cpu":5,"ram_total":"lots"}',
        '{"type":"task_output","task_id":[],"output":"x"}',
        '{"type":"cpu_alert","cpu":"hot"}',
        '{"type":"pong","timestamp":{}}',
        '{"type":"stats_update","cpu":5,"hostname":' + JSON.stringify('h'.repeat(10_000)) + '}',
        '"'.repeat(100_000),
      ];
      for (const frame of junk) socket.send(frame);
      socket.send(Buffer.from([0xff, 0x00, 0x13]));
      socket.send('{"cpu":3.5,"ram_total":100,"ram_used":10,"timestamp":1795321333984,"type":"stats_update"}');
    });
    const { sink, connection } = connect(server.url('/'));
    await sink.until(() => sink.samples.length === 1, 3000, 'the one good sample');
    expect(sink.samples[0]!.sample.cpu?.totalPercent).toBe(3.5);
    expect(sink.events).toEqual([]);
    expect(connection.state.status).toBe('connected');
  });
});

describe('servercontrol fingerprint', () => {
  const fingerprint = serverControlClient.fingerprint;

  it('recognizes every stats_update and pong of the recorded v1 sessions', () => {
    const frames = [...serverFrames(path.join(FIXTURES, 'v1-listen.jsonl')), ...serverFrames(path.join(FIXTURES, 'v1-ping-exec.jsonl'))];
    const recognized = frames.filter((frame) => fingerprint(frame) !== null);
    const expected = frames.filter((frame) => /"type":"(stats_update|pong)"/.test(frame));
    expect(recognized).toEqual(expected);
    expect(fingerprint(frames[0]!)).toBe('sent an unprompted stats_update with ram_total');
  });

  it("does not take SysMedic's pong for ServerControl's, in either timestamp form", () => {
    expect(fingerprint('{"type":"pong","data":{"message":"pong"},"timestamp":"2026-11-22T04:20:35.017978545Z","request_id":"1"}')).toBeNull();
    expect(fingerprint('{"type":"pong","data":{"message":"pong"},"timestamp":1795321341,"request_id":"1"}')).toBeNull();
    expect(fingerprint('{"type":"pong","timestamp":1795321341}')).toBeNull();
  });

  it("rejects every frame of the other protocols' recorded sessions", () => {
    const others = [
      'gpu-usage/fixtures/reference-server.jsonl',
      'sysmedic/fixtures/daemon-requests-ignored.jsonl',
      'sysmedic/fixtures/request-response-server.jsonl',
      'vstats/fixtures/scripted-real-hub.jsonl',
      'vstats/fixtures/scripted-legacy-hub.jsonl',
    ];
    for (const file of others) {
      for (const frame of serverFrames(path.join(PROTO, file))) expect(fingerprint(frame), `${file}: ${frame.slice(0, 80)}`).toBeNull();
    }
  });

  it('lets detection recognize our agent\'s stream port as ServerControl and nothing else', async () => {
    const agent = await startTestAgent();
    cleanups.push(() => agent.close());
    const report = await detect(`127.0.0.1:${agent.endpoint('servercontrol').port}`, { WebSocket });
    expect(report.found.map((found) => found.protocol)).toEqual(['servercontrol']);
    expect(report.found[0]!.evidence).toMatch(/pong|stats_update/);
  });

  it('probes with the ping the real server answers at once', () => {
    expect(serverControlClient.probe).toBe('{"type":"ping"}');
    expect(fingerprint(new Uint8Array([123, 125]))).toBeNull();
  });
});
