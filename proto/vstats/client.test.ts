import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { replaySession, type FixtureServer, type FixtureOptions } from '../../test-support/fixture-server';
import { serverFrames } from '../../test-support/recorded-session';

import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { MAX_HOSTS, vstatsClient } from './client';
import { connectClient, serveFixture } from '../../test-support/client-harness';
import { cleanupAfterEach } from '../../test-support/cleanups';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const REAL_HUB = path.join(FIXTURES, 'scripted-real-hub.jsonl');
const LEGACY_HUB = path.join(FIXTURES, 'scripted-legacy-hub.jsonl');
const HUB_TOKEN = 'client-test-hub-token';
const REMOTE = '7f1c2a9e-3b7d-4c51-9a0e-2f6d8b1e4c33';
const OLD_BOX = 'c0ffee00-0000-4000-8000-000000000001';

const cleanups = cleanupAfterEach();

function connect(url: string) {
  return connectClient(cleanups, 'vstats', url, vstatsClient);
}

function fixture(onConnection: FixtureOptions['onConnection']): Promise<FixtureServer> {
  return serveFixture(cleanups, onConnection);
}

async function agent(args: string[]): Promise<TestAgent> {
  const started = await startTestAgent(args);
  cleanups.push(() => started.close());
  return started;
}

function pushArgs(hub: TestAgent, serverId: string): string[] {
  return ['--vstats-push', `${hub.url('vstats', 'agents')}?token=${HUB_TOKEN}`, '--vstats-server-id', serverId, '--vstats-interval', '1'];
}

describe('vstats client', () => {
  it('reads our hub: this machine plus two agents pushed with --vstats-push, one host each', async () => {
    const hub = await agent(['--vstats-token', HUB_TOKEN, '--vstats-interval', '1']);
    await agent(pushArgs(hub, 'node-b'));
    await agent(pushArgs(hub, 'node-c'));
    const { sink, connection } = connect(hub.url('vstats'));
    const sampled = (id: string) => sink.samples.some((entry) => entry.hostId === id);
    await sink.until(() => ['node-b', 'node-c', os.hostname()].every(sampled), 8000, 'samples from all three hosts');

    expect([...sink.hosts.keys()].sort()).toEqual([os.hostname(), 'node-b', 'node-c'].sort());
    expect(sink.hosts.get('node-b')).toMatchObject({ id: 'node-b', hostname: os.hostname(), cpu: { cores: expect.any(Number) } });
    expect(sink.statuses.filter((status) => status.online).map((status) => status.hostId)).toEqual(expect.arrayContaining(['node-b', 'node-c', os.hostname()]));
    const relayed = sink.samples.find((entry) => entry.hostId === 'node-c')!.sample;
    expect(relayed.cpu?.totalPercent).toBeGreaterThanOrEqual(0);
    expect(relayed.memory?.totalBytes).toBeGreaterThan(0);
    expect(relayed.disks?.length).toBeGreaterThan(0);
    expect(Math.abs(relayed.timeMs - Date.now())).toBeLessThan(10_000);
    expect(connection.state.status).toBe('connected');
  });

  it('marks a pushing agent offline once it has been silent for --vstats-offline-after', async () => {
    const hub = await agent(['--vstats-token', HUB_TOKEN, '--vstats-offline-after', '1']);
    const pusher = await startTestAgent(pushArgs(hub, 'short-lived'));
    const { sink } = connect(hub.url('vstats'));
    await sink.until(() => sink.samples.some((entry) => entry.hostId === 'short-lived'), 5000, 'a relayed sample');
    await pusher.close();
    const stoppedAt = Date.now();
    await sink.until(() => sink.statuses.some((status) => status.hostId === 'short-lived' && !status.online), 5000, 'the agent going offline');
    expect(Date.now() - stoppedAt).toBeLessThan(4000);
    expect(sink.hosts.has('short-lived')).toBe(true);
  });

  it('reads a real hub: the stream_init/stream_server/stream_end snapshot, then partial deltas', async () => {
    const server = await fixture(replaySession(REAL_HUB, 20));
    const { sink } = connect(server.url('/ws'));
    await sink.until(() => sink.samples.some((entry) => entry.hostId === OLD_BOX), 3000, 'the second delta');
    expect(server.received).toEqual([]);

    expect(sink.hosts.get('local')).toMatchObject({ hostname: 'hub-box', name: 'Dashboard Server', cpu: { model: 'AMD EPYC 7B13', cores: 8 }, gpus: [{ name: 'NVIDIA GeForce RTX 4090' }] });
    expect(sink.hosts.get(REMOTE)).toEqual(expect.objectContaining({ hostname: 'edge-fra-1', location: 'DE' }));
    expect(sink.hosts.get(REMOTE)?.name).toBeUndefined();
    expect(sink.hosts.get(OLD_BOX)).toEqual({ id: OLD_BOX, hostname: 'old-box', location: 'US' });
    expect(sink.statuses).toEqual([
      { hostId: 'local', online: true },
      { hostId: REMOTE, online: true },
      { hostId: OLD_BOX, online: false },
      { hostId: REMOTE, online: false },
      { hostId: OLD_BOX, online: true },
    ]);

    const local = sink.samples.filter((entry) => entry.hostId === 'local').map((entry) => entry.sample);
    expect(local).toHaveLength(2);
    expect(local[0]).toMatchObject({ cpu: { totalPercent: 12.5 }, gpus: [{ utilizationPercent: 37 }] });
    // Only c and rx changed: the memory, disk and tx figures carry over from the snapshot.
    expect(local[1]).toEqual({
      timeMs: 1_795_325_405_000,
      cpu: { totalPercent: 55 },
      memory: { usedPercent: local[0]!.memory!.usedPercent, totalBytes: 16_777_216_000 },
      diskUsedPercent: 41.7,
      network: { rxBytesPerSec: 4096, txBytesPerSec: 1024 },
      uptimeSec: 86_400,
    });
    const remote = sink.samples.filter((entry) => entry.hostId === REMOTE).map((entry) => entry.sample);
    expect(remote[1]).toMatchObject({ cpu: { totalPercent: 3.25 }, memory: { usedPercent: 7 } });
    expect(sink.samples.find((entry) => entry.hostId === OLD_BOX)!.sample).toEqual({
      timeMs: 1_795_325_410_000,
      cpu: { totalPercent: 9 },
      memory: { usedPercent: 30 },
      diskUsedPercent: 71,
      network: { rxBytesPerSec: 10, txBytesPerSec: 20 },
      uptimeSec: 120,
    });
  });

  it('reads the legacy form: every servers[] message lists them all, and a server it drops is removed', async () => {
    const server = await fixture(replaySession(LEGACY_HUB, 10));
    const { sink } = connect(server.url('/ws'));
    await sink.until(() => sink.removed.includes('node-2'), 3000, 'node-2 removed');
    expect(sink.statuses).toEqual([
      { hostId: 'local', online: true },
      { hostId: 'node-2', online: true },
      { hostId: 'node-2', online: false },
    ]);
    expect(sink.samples.filter((entry) => entry.hostId === 'local').map((entry) => entry.sample.cpu?.totalPercent)).toEqual([20, 25, 30]);
    expect([...sink.hosts.keys()]).toEqual(['local']);
  });

  it('reads documented envelopes from another hub, including server_removed', async () => {
    const server = await fixture((socket) => {
      const at = '2024-01-01T12:00:00Z';
      socket.send(JSON.stringify({ type: 'server_added', data: { id: 'abc123', name: 'new-server', location: 'US-West' } }));
      socket.send(JSON.stringify({ type: 'status', data: { server_id: 'abc123', online: true }, timestamp: at }));
      socket.send(JSON.stringify({ type: 'metrics', data: { server_id: 'abc123', metrics: { cpu: { usage: 45.2, cores: 4 }, memory: { total: 8589934592, used: 4294967296 }, disks: [], network: { rx: 1024, tx: 2048 } } }, timestamp: at }));
      socket.send(JSON.stringify({ type: 'server_removed', data: { id: 'abc123' } }));
    });
    const { sink } = connect(server.url('/ws'));
    await sink.until(() => sink.removed.length === 1, 3000, 'server_removed');
    expect(sink.samples).toEqual([
      {
        hostId: 'abc123',
        sample: { timeMs: Date.parse('2024-01-01T12:00:00Z'), cpu: { totalPercent: 45.2 }, memory: { usedPercent: 50, totalBytes: 8589934592, usedBytes: 4294967296 }, disks: [], network: { rxBytesPerSec: 1024, txBytesPerSec: 2048 } },
      },
    ]);
    expect(sink.removed).toEqual(['abc123']);
  });

  it('never throws on hostile frames, keeps reading the good ones, and bounds how many hosts a hub can create', async () => {
    const server = await fixture((socket) => {
      for (const junk of ['{', 'null', '[]', '{"type":"delta","d":"x"}', '{"type":"stream_server","server":{"server_id":{}}}', '{"type":"metrics","data":{"server_id":"a","metrics":{"cpu":{"usage":"NaN"}}}}', '"'.repeat(10_000)]) socket.send(junk);
      socket.send(Buffer.from([0xff, 0x00, 0x7b]));
      socket.send(JSON.stringify({ type: 'delta', ts: 1, d: [{ id: '__proto__', m: { c: 1 } }, { id: 'constructor', on: false }] }));
      socket.send(JSON.stringify({ type: 'metrics', servers: Array.from({ length: MAX_HOSTS + 50 }, (_, index) => ({ server_id: `s${index}`, online: true })) }));
      socket.send(JSON.stringify({ type: 'metrics', data: { server_id: 'survivor', metrics: { cpu: { usage: 9.5, cores: 1 } } } }));
    });
    const { sink, connection } = connect(server.url('/ws'));
    await sink.until(() => sink.removed.length > 0, 5000, 'the legacy list replacing the first hosts');
    expect(sink.hosts.size).toBeLessThanOrEqual(MAX_HOSTS);
    expect(connection.state.status).toBe('connected');
  });

  it('reports a sample from a good frame that follows junk', async () => {
    const server = await fixture((socket) => {
      socket.send('{"type":"metrics","data":{"server_id":5}}');
      socket.send(Buffer.from([0x00]));
      socket.send(JSON.stringify({ type: 'metrics', data: { server_id: 'survivor', metrics: { cpu: { usage: 9.5, cores: 1 } } } }));
    });
    const { sink } = connect(server.url('/ws'));
    await sink.until(() => sink.samples.length === 1, 3000, 'the good sample');
    expect(sink.samples[0]).toMatchObject({ hostId: 'survivor', sample: { cpu: { totalPercent: 9.5 } } });
  });
});

describe('vstats fingerprint', () => {
  it('recognizes every unprompted message of the real hub that identifies it, and nothing else of it', () => {
    const reasons = serverFrames(REAL_HUB).map((frame) => vstatsClient.fingerprint(frame));
    expect(reasons).toEqual([
      'sent stream_init unprompted',
      'sent stream_server unprompted',
      'sent stream_server unprompted',
      'sent stream_server unprompted',
      null,
      'sent delta unprompted',
      'sent delta unprompted',
    ]);
    expect(serverFrames(LEGACY_HUB).map((frame) => vstatsClient.fingerprint(frame))).toEqual(['sent metrics with servers[]', 'sent metrics with servers[]', 'sent metrics with servers[]']);
  });

  it('recognizes documented metrics by data.server_id and sends no probe', () => {
    expect(vstatsClient.fingerprint('{"type":"metrics","data":{"server_id":"x","metrics":{"cpu":{"usage":1,"cores":1}}},"timestamp":"2024-01-01T12:00:00Z"}')).toBe('sent metrics with data.server_id');
    expect(vstatsClient.fingerprint('{"type":"server_added","data":{"id":"x","name":"x","location":""}}')).toBeNull();
    expect(vstatsClient.probe).toBeNull();
  });

  it.each([
    ['gpu-usage', 'gpu-usage/fixtures/reference-server.jsonl'],
    ['servercontrol', 'servercontrol/fixtures/v1-listen.jsonl'],
    ['servercontrol', 'servercontrol/fixtures/v1-ping-exec.jsonl'],
    ['sysmedic', 'sysmedic/fixtures/daemon-requests-ignored.jsonl'],
    ['sysmedic', 'sysmedic/fixtures/request-response-server.jsonl'],
  ])('rejects every frame of the %s fixture %s', (_protocol, file) => {
    const frames = serverFrames(path.join(import.meta.dirname, '..', file));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.map((frame) => vstatsClient.fingerprint(frame)).filter((reason) => reason !== null)).toEqual([]);
  });
});
