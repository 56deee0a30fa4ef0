import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverFrames } from '../../test-support/recorded-session';
import type { HostInfo, Sample } from '../model';
import { applyCompact, compactFromSample, sampleFromCompact } from './compact';
import { decodeAgentFrame, decodeDashboardFrame, decodeHubReply } from './decode';
import { encodeAgentAuth, encodeAgentMetrics, encodeAuthReply, encodeBatchAck, encodeHeartbeat, encodeMetrics, encodeServerAdded, encodeServerRemoved, encodeStatus } from './wire';

// Written from PROTOCOLS.md and the public server's message types (no recording of a real hub exists).
const realHub = serverFrames(path.join(import.meta.dirname, 'fixtures/scripted-real-hub.jsonl'));
const legacyHub = serverFrames(path.join(import.meta.dirname, 'fixtures/scripted-legacy-hub.jsonl'));

const GIB = 1024 ** 3;
const host: HostInfo = {
  id: 'gpu-box',
  hostname: 'gpu-box',
  os: { name: 'Ubuntu', version: '24.04', kernel: '6.8.0', arch: 'x64' },
  cpu: { model: 'AMD Ryzen 9 7950X', cores: 32 },
  memoryTotalBytes: 64 * GIB,
  gpus: [{ index: 0, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memoryTotalBytes: 48 * GIB }],
};
const sample: Sample = {
  timeMs: 1_795_321_507_250,
  cpu: { totalPercent: 12.34, perCorePercent: [10, 14.68], load: [0.5, 0.7, 0.6] },
  memory: { usedPercent: 25, totalBytes: 64 * GIB, usedBytes: 16 * GIB, swapTotalBytes: 8 * GIB, swapUsedBytes: GIB },
  disks: [{ name: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4', totalBytes: 1000 * GIB, usedBytes: 250 * GIB, availableBytes: 700 * GIB, usedPercent: 26.3 }],
  network: {
    interfaces: [{ name: 'eth0', rxBytes: 5_000_000, txBytes: 2_000_000, rxBytesPerSec: 1200, txBytesPerSec: 300 }],
    rxTotalBytes: 5_000_000,
    txTotalBytes: 2_000_000,
    rxBytesPerSec: 1200.4,
    txBytesPerSec: 300,
  },
  uptimeSec: 86_400,
  gpus: [{ index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryUsedBytes: 12 * GIB, memoryTotalBytes: 48 * GIB, tempC: 61, powerWatts: 210.25 }],
};

describe('vstats codec: the real hub snapshot and delta stream', () => {
  const decoded = realHub.map((frame) => decodeDashboardFrame(frame, 42));

  it('decodes stream_init, one stream_server per server, stream_end, then deltas', () => {
    expect(decoded.map((frame) => frame?.kind)).toEqual(['stream_init', 'stream_server', 'stream_server', 'stream_server', 'stream_end', 'delta', 'delta']);
    expect(decoded[0]).toEqual({ kind: 'stream_init', totalServers: 3 });
  });

  it('reads a real full metrics object: nanosecond timestamps, gpu.gpus[], rx_bytes, mount_points[]', () => {
    const frame = decoded[1];
    if (frame?.kind !== 'stream_server') throw new Error('expected stream_server');
    const { server } = frame;
    expect(server).toMatchObject({ id: 'local', name: 'Dashboard Server', online: true });
    expect(server.host).toEqual({
      hostname: 'hub-box',
      os: { name: 'Ubuntu', version: '22.04', kernel: '5.15.0-91-generic', arch: 'x86_64' },
      cpu: { model: 'AMD EPYC 7B13', cores: 8 },
      memoryTotalBytes: 16_777_216_000,
      gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 4090', vendor: 'NVIDIA', memoryTotalBytes: 25_757_220_864 }],
      serverStatus: 'agent version 1.4.2',
    });
    expect(server.sample).toMatchObject({
      timeMs: Date.parse('2026-11-22T05:30:00.123Z'),
      cpu: { totalPercent: 12.5, frequencyMhz: 2450, load: [0.42, 0.37, 0.3] },
      memory: { totalBytes: 16_777_216_000, usedBytes: 4_194_304_000, swapTotalBytes: 0 },
      disks: [{ name: 'nvme0n1', mountPoint: '/', fsType: 'NVMe', totalBytes: 512_110_190_592, usedPercent: 41.7 }],
      network: { interfaces: [{ name: 'eth0', rxBytes: 987_654_321, txBytes: 123_456_789 }], rxTotalBytes: 987_654_321, rxBytesPerSec: 2048, txBytesPerSec: 1024 },
      uptimeSec: 86_400,
      gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 4090', utilizationPercent: 37, memoryUsedBytes: 1_073_741_824, tempC: 54, powerWatts: 120.5 }],
    });
    expect(server.sample?.cpu?.perCorePercent).toHaveLength(8);
    expect(server.sample?.memory?.usedPercent).toBeCloseTo(25, 3);
  });

  it('accepts Go null slices and a server without metrics', () => {
    const second = decoded[2];
    const third = decoded[3];
    if (second?.kind !== 'stream_server' || third?.kind !== 'stream_server') throw new Error('expected stream_server');
    expect(second.server.sample?.timeMs).toBe(Date.parse('2026-11-22T05:29:58.5Z'));
    expect(second.server.sample?.cpu?.perCorePercent).toBeUndefined();
    expect(second.server.sample?.disks).toBeUndefined();
    expect(second.server.sample?.network).toEqual({ rxBytesPerSec: 512, txBytesPerSec: 256, rxTotalBytes: 987_654_321, txTotalBytes: 123_456_789 });
    expect(third.server).toEqual({ id: 'c0ffee00-0000-4000-8000-000000000001', name: 'old-box', location: 'US', online: false, host: {} });
  });

  it('decodes delta: seconds to ms, only the keys that changed, `on` as online', () => {
    expect(decoded[5]).toEqual({
      kind: 'delta',
      timeMs: 1_795_325_405_000,
      updates: [
        { id: 'local', values: { cpuPercent: 55, rxBytesPerSec: 4096 } },
        { id: '7f1c2a9e-3b7d-4c51-9a0e-2f6d8b1e4c33', values: { memoryPercent: 7 } },
      ],
    });
    expect(decoded[6]).toMatchObject({
      updates: [
        { id: '7f1c2a9e-3b7d-4c51-9a0e-2f6d8b1e4c33', online: false, values: {} },
        { id: 'c0ffee00-0000-4000-8000-000000000001', online: true, values: { cpuPercent: 9, memoryPercent: 30, diskPercent: 71, rxBytesPerSec: 10, txBytesPerSec: 20, uptimeSec: 120 } },
      ],
    });
  });

  it('applies a partial delta to the last full figures', () => {
    const last = compactFromSample({ timeMs: 0, cpu: { totalPercent: 10 }, memory: { usedPercent: 50 }, disks: [{ name: 'sda', usedPercent: 40 }], network: { rxBytesPerSec: 1, txBytesPerSec: 2 }, uptimeSec: 9 });
    const next = applyCompact(last, { cpuPercent: 55, rxBytesPerSec: 4096 });
    expect(sampleFromCompact(next, 5000, 8 * GIB)).toEqual({
      timeMs: 5000,
      cpu: { totalPercent: 55 },
      memory: { usedPercent: 50, totalBytes: 8 * GIB },
      diskUsedPercent: 40,
      network: { rxBytesPerSec: 4096, txBytesPerSec: 2 },
      uptimeSec: 9,
    });
  });

  it('decodes the legacy metrics message with servers[]', () => {
    const [first, second] = legacyHub.map((frame) => decodeDashboardFrame(frame, 42));
    if (first?.kind !== 'servers' || second?.kind !== 'servers') throw new Error('expected legacy servers');
    expect(first.servers.map((server) => [server.id, server.online, server.host.hostname])).toEqual([
      ['local', true, 'old-hub'],
      ['node-2', true, 'node-2'],
    ]);
    expect(first.servers[0]?.sample).toMatchObject({ cpu: { totalPercent: 20 }, network: { rxBytesPerSec: 300 } });
    expect(second.servers[1]).toEqual({ id: 'node-2', name: 'node-2', online: false, host: {} });
  });
});

describe('vstats codec: the documented form', () => {
  it('encodes the dashboard metrics envelope with the documented keys unchanged, the extras beside them, and an ISO timestamp', () => {
    const envelope = encodeMetrics('gpu-box', sample, host);
    expect(envelope).toEqual({
      type: 'metrics',
      data: {
        server_id: 'gpu-box',
        metrics: {
          cpu: { usage: 12.3, cores: 32, brand: 'AMD Ryzen 9 7950X', per_core: [10, 14.7] },
          memory: { total: 64 * GIB, used: 16 * GIB, usage_percent: 25, swap_total: 8 * GIB, swap_used: GIB },
          disks: [{ name: '/dev/nvme0n1p2', mount_point: '/', mount_points: ['/'], fs_type: 'ext4', total: 1000 * GIB, used: 250 * GIB, available: 700 * GIB, usage_percent: 26.3 }],
          network: { rx: 1200, tx: 300, total_rx: 5_000_000, total_tx: 2_000_000, interfaces: [{ name: 'eth0', rx: 5_000_000, tx: 2_000_000, rx_bytes: 5_000_000, tx_bytes: 2_000_000 }] },
          hostname: 'gpu-box',
          os: { name: 'Ubuntu', version: '24.04', kernel: '6.8.0', arch: 'x64' },
          uptime: 86_400,
          load_average: { one: 0.5, five: 0.7, fifteen: 0.6 },
          gpu: { gpus: [{ index: 0, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memory_total: 48 * GIB, memory_used: 12 * GIB, utilization: 87, temperature: 61, power_draw: 210.3 }] },
        },
      },
      timestamp: '2026-11-22T04:25:07.250Z',
    });
  });

  it('leaves out an extra the sample lacks rather than sending it as zero', () => {
    const bare = encodeMetrics('bare', { timeMs: 0, cpu: { totalPercent: 5 } }).data.metrics;
    expect(bare).toEqual({ cpu: { usage: 5, cores: 0 }, memory: { total: 0, used: 0 }, disks: [], network: { rx: 0, tx: 0 } });
  });

  it('round-trips metrics, status, server_added and server_removed through a dashboard, every reported figure included', () => {
    expect(decodeDashboardFrame(JSON.stringify(encodeMetrics('gpu-box', sample, host)), 0)).toEqual({
      kind: 'metrics',
      id: 'gpu-box',
      host: {
        hostname: 'gpu-box',
        os: host.os,
        cpu: { model: 'AMD Ryzen 9 7950X', cores: 32 },
        memoryTotalBytes: 64 * GIB,
        gpus: [{ index: 0, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memoryTotalBytes: 48 * GIB }],
      },
      sample: {
        timeMs: sample.timeMs,
        cpu: { totalPercent: 12.3, perCorePercent: [10, 14.7], load: [0.5, 0.7, 0.6] },
        memory: { usedPercent: 25, totalBytes: 64 * GIB, usedBytes: 16 * GIB, swapTotalBytes: 8 * GIB, swapUsedBytes: GIB },
        disks: [{ name: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4', totalBytes: 1000 * GIB, usedBytes: 250 * GIB, availableBytes: 700 * GIB, usedPercent: 26.3 }],
        network: { interfaces: [{ name: 'eth0', rxBytes: 5_000_000, txBytes: 2_000_000 }], rxBytesPerSec: 1200, txBytesPerSec: 300, rxTotalBytes: 5_000_000, txTotalBytes: 2_000_000 },
        uptimeSec: 86_400,
        gpus: [{ index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryUsedBytes: 12 * GIB, memoryTotalBytes: 48 * GIB, tempC: 61, powerWatts: 210.3 }],
      },
    });
    expect(decodeDashboardFrame(JSON.stringify(encodeStatus('gpu-box', false, 0)), 0)).toEqual({ kind: 'status', id: 'gpu-box', online: false });
    expect(decodeDashboardFrame(JSON.stringify(encodeServerAdded({ id: 'a', name: 'Alpha', location: 'DE' }, 0)), 0)).toEqual({ kind: 'server_added', id: 'a', name: 'Alpha', location: 'DE' });
    expect(decodeDashboardFrame(JSON.stringify(encodeServerRemoved('a', 0)), 0)).toEqual({ kind: 'server_removed', id: 'a' });
  });

  it('pushes agent metrics under both `data` and `metrics`, with the documented keys, real aliases and unsigned integers', () => {
    const message = encodeAgentMetrics(host, sample);
    expect(message.data).toBe(message.metrics);
    expect(Object.keys(message.data).sort()).toEqual(['cpu', 'disks', 'gpu', 'hostname', 'load_average', 'memory', 'network', 'os', 'timestamp', 'uptime']);
    expect(message.data.memory).toEqual({ total: 64 * GIB, used: 16 * GIB, available: 48 * GIB, swap_total: 8 * GIB, swap_used: GIB, usage_percent: 25 });
    expect(message.data.network).toEqual({
      interfaces: [{ name: 'eth0', rx: 5_000_000, tx: 2_000_000, rx_bytes: 5_000_000, tx_bytes: 2_000_000 }],
      total_rx: 5_000_000,
      total_tx: 2_000_000,
      rx_speed: 1200,
      tx_speed: 300,
    });
    expect(message.data.gpu?.gpus[0]).toEqual({ index: 0, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memory_total: 48 * GIB, memory_used: 12 * GIB, utilization: 87, temperature: 61, power_draw: 210.3 });
    expect(message.data.cpu).toEqual({ brand: 'AMD Ryzen 9 7950X', cores: 32, usage: 12.3, frequency: 0, per_core: [10, 14.7] });
  });

  it('round-trips a pushed agent snapshot through the hub decoder', () => {
    const decoded = decodeAgentFrame(JSON.stringify(encodeAgentMetrics(host, sample)), 0);
    if (decoded?.kind !== 'metrics') throw new Error('expected metrics');
    expect(decoded.host).toEqual({ hostname: 'gpu-box', os: host.os, cpu: host.cpu, memoryTotalBytes: 64 * GIB, gpus: host.gpus });
    expect(decoded.sample).toMatchObject({
      timeMs: sample.timeMs,
      cpu: { totalPercent: 12.3, perCorePercent: [10, 14.7], load: [0.5, 0.7, 0.6] },
      memory: { usedPercent: 25, totalBytes: 64 * GIB, usedBytes: 16 * GIB, swapTotalBytes: 8 * GIB, swapUsedBytes: GIB },
      disks: [{ name: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4', totalBytes: 1000 * GIB, usedBytes: 250 * GIB, availableBytes: 700 * GIB, usedPercent: 26.3 }],
      network: { interfaces: [{ name: 'eth0', rxBytes: 5_000_000, txBytes: 2_000_000 }], rxTotalBytes: 5_000_000, txTotalBytes: 2_000_000, rxBytesPerSec: 1200, txBytesPerSec: 300 },
      uptimeSec: 86_400,
      gpus: [{ index: 0, utilizationPercent: 87, memoryUsedBytes: 12 * GIB, tempC: 61, powerWatts: 210.3 }],
    });
  });

  it('reads the documented agent push example and the real agents `metrics` key', () => {
    const documented = {
      type: 'metrics',
      data: {
        timestamp: '2024-01-01T12:00:00Z',
        hostname: 'my-server',
        os: { name: 'Ubuntu', version: '22.04', kernel: '5.15.0', arch: 'x86_64' },
        cpu: { brand: 'Intel Core i7', cores: 8, usage: 45.2, frequency: 3600, per_core: [40, 50, 45, 42, 48, 46, 44, 47] },
        memory: { total: 17179869184, used: 8589934592, available: 8589934592, swap_total: 4294967296, swap_used: 1073741824, usage_percent: 50.0 },
        disks: [{ name: 'sda1', mount_point: '/', fs_type: 'ext4', total: 107374182400, used: 53687091200, available: 53687091200, usage_percent: 50.0 }],
        network: { interfaces: [{ name: 'eth0', rx: 1073741824, tx: 536870912 }], total_rx: 1073741824, total_tx: 536870912 },
        uptime: 86400,
        load_average: { one: 0.5, five: 0.7, fifteen: 0.6 },
      },
    };
    const fromDocumented = decodeAgentFrame(JSON.stringify(documented), 0);
    expect(fromDocumented).toMatchObject({
      kind: 'metrics',
      host: { hostname: 'my-server', cpu: { model: 'Intel Core i7', cores: 8 } },
      sample: { timeMs: Date.parse('2024-01-01T12:00:00Z'), network: { interfaces: [{ name: 'eth0', rxBytes: 1073741824 }], rxTotalBytes: 1073741824 }, disks: [{ mountPoint: '/' }] },
    });
    expect(fromDocumented?.kind === 'metrics' && fromDocumented.sample.network?.rxBytesPerSec).toBeUndefined();
    const fromReal = decodeAgentFrame(JSON.stringify({ type: 'metrics', metrics: documented.data }), 0);
    expect(fromReal).toEqual(fromDocumented);
  });

  it('encodes and decodes the agent auth exchange and heartbeats', () => {
    expect(decodeAgentFrame(JSON.stringify(encodeAgentAuth('node-7', 't0k', 'fleetwatch-agent')), 0)).toEqual({ kind: 'auth', serverId: 'node-7', token: 't0k', version: 'fleetwatch-agent' });
    expect(decodeAgentFrame(JSON.stringify(encodeHeartbeat(0)), 0)).toEqual({ kind: 'heartbeat' });
    // An empty batch is still a batch: acknowledged with nothing accepted.
    expect(decodeAgentFrame('{"type":"batch_metrics","batch_id":"x"}', 0)).toEqual({ kind: 'backfill', readings: [], batchId: 'x' });
    expect(decodeAgentFrame('{"type":"batch_metrics","batch_id":"x","metrics":"all"}', 0)).toBeNull();
    expect(decodeAgentFrame('{"type":"aggregated_metrics","granularities":[{"interval":0}]}', 0)).toBeNull();
    expect(decodeHubReply(JSON.stringify(encodeAuthReply(true)))).toEqual({ kind: 'auth', ok: true });
    expect(decodeHubReply('{"type":"auth","status":"error","message":"Invalid token"}')).toEqual({ kind: 'auth', ok: false, message: 'Invalid token' });
    expect(decodeHubReply(JSON.stringify(encodeAuthReply(true, undefined, Date.UTC(2026, 11, 4, 4, 12, 27))))).toEqual({ kind: 'auth', ok: true, lastSeenMs: Date.UTC(2026, 11, 4, 4, 12, 27) });
    // As real hubs answer: last_seen to the second, last_buckets per granularity (bucket = seconds / interval).
    expect(encodeAuthReply(true, undefined, Date.UTC(2026, 11, 4, 4, 12, 27, 800), new Map([[5000, 1_796_357_540_000], [120_000, 1_796_357_520_000], [7000, 1]]))).toEqual({
      type: 'auth',
      status: 'ok',
      last_seen: '2026-12-04T04:12:27Z',
      last_buckets: { '5sec': 359_271_508, '2min': 14_969_646 },
    });
    expect(decodeHubReply(JSON.stringify(encodeBatchAck('b-7', 120, 1)))).toEqual({ kind: 'batch_ack', batchId: 'b-7', accepted: 120, rejected: 1 });
  });
});

describe('vstats codec: hostile frames', () => {
  const hostile = [
    '',
    'not json',
    '{',
    'null',
    '[]',
    '42',
    '{"type":5}',
    '{"type":"metrics"}',
    '{"type":"metrics","data":{"server_id":5,"metrics":{}}}',
    '{"type":"metrics","data":{"server_id":"a","metrics":{"cpu":{"usage":"high"}}}}',
    '{"type":"metrics","servers":"all"}',
    '{"type":"status","data":{"server_id":"a","online":"yes"}}',
    '{"type":"server_added","data":{"id":""}}',
    '{"type":"stream_server","server":{"server_id":"a","metrics":{"cpu":[]}}}',
    '{"type":"delta","ts":"soon","d":[]}',
    JSON.stringify({ type: 'metrics', data: { server_id: 'a', metrics: { cpu: { usage: 1, per_core: new Array(5000).fill(1) } } } }),
    JSON.stringify({ type: 'server_added', data: { id: 'x'.repeat(10_000) } }),
    '{"type":"metrics","data":{"server_id":"a","metrics":{"memory":{"total":1e400}}}}',
  ];

  it.each(hostile)('a dashboard decoder returns null for %j', (frame) => {
    expect(decodeDashboardFrame(frame, 0)).toBeNull();
  });

  it.each(['', 'junk', '{"type":"auth","server_id":"a"}', '{"type":"auth","server_id":"","token":"t"}', '{"type":"metrics","data":{"cpu":{"usage":"x"}}}', '{"type":"metrics"}', '{"kind":"auth"}'])(
    'the hub decoder returns null for %j',
    (frame) => {
      expect(decodeAgentFrame(frame, 0)).toBeNull();
    },
  );

  it('keeps the good entries of a delta or legacy list and drops the bad ones', () => {
    const delta = decodeDashboardFrame('{"type":"delta","ts":1795325405,"d":[{"id":5},{"id":"ok","m":{"c":"x"}},{"id":"good","m":{"c":3}},null]}', 0);
    expect(delta).toEqual({ kind: 'delta', timeMs: 1_795_325_405_000, updates: [{ id: 'good', values: { cpuPercent: 3 } }] });
    const legacy = decodeDashboardFrame('{"type":"metrics","servers":[{"server_id":1},{"server_id":"b","online":true,"metrics":null},"x"]}', 0);
    expect(legacy).toEqual({ kind: 'servers', servers: [{ id: 'b', online: true, host: {} }] });
  });
});
