import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../model';
import { gunzipBounded, gzipAboveThreshold, isGzip } from './gzip';
import { REAL_DISKS, REAL_METRICS, realJsonFrame } from './test-real-agent';
import { decodeDisks, decodeMetrics, encodeDisks, encodeMetrics, replyJson } from './wire';

const GIB = 1024 ** 3;

const snapshot: Snapshot = {
  host: { id: 'gpu-box', hostname: 'gpu-box', gpus: [{ index: 0, name: 'NVIDIA RTX A6000', memoryTotalBytes: 48 * GIB }] },
  sample: {
    timeMs: 1_795_321_507_456,
    cpu: { totalPercent: 12.5, perCorePercent: [10, 15], tempC: 55, load: [1, 2, 3] },
    memory: { usedPercent: 25, totalBytes: 64 * GIB, usedBytes: 16 * GIB, swapTotalBytes: 8 * GIB, swapUsedBytes: 1024 },
    network: { interfaces: [{ name: 'eth0', rxBytes: 1000, txBytes: 2000, rxBytesPerSec: 5 }], rxTotalBytes: 1000 },
    gpus: [{ index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryUsedBytes: 30 * GIB, memoryTotalBytes: 48 * GIB, tempC: 71, powerWatts: 250 }],
    uptimeSec: 100,
  },
};

describe('socktop metrics codec', () => {
  it('decodes a real agent metrics reply sent gzip-compressed in a binary frame, reading its GPU key aliases', () => {
    const frame = realJsonFrame(REAL_METRICS);
    expect(typeof frame).not.toBe('string');
    const decoded = decodeMetrics(replyJson(new Uint8Array(frame as Buffer)), 0);
    expect(decoded?.host).toEqual({ id: 'render-07', hostname: 'render-07', memoryTotalBytes: 67_108_864_000, gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 5080', memoryTotalBytes: 17_179_869_184 }] });
    expect(decoded?.sample).toMatchObject({
      timeMs: 1_795_321_507_123,
      cpu: { totalPercent: 7.5, tempC: 48.25 },
      memory: { totalBytes: 67_108_864_000, usedBytes: 12_884_901_888, swapTotalBytes: 8_589_934_592, swapUsedBytes: 1_048_576, usedPercent: 19.2 },
      gpus: [{ index: 0, name: 'NVIDIA GeForce RTX 5080', utilizationPercent: 37, memoryUsedBytes: 2_147_483_648, memoryTotalBytes: 17_179_869_184 }],
      processCount: 412,
    });
    expect(decoded?.sample.cpu?.perCorePercent).toHaveLength(32);
    expect(decoded?.sample.network?.interfaces?.[1]).toEqual({ name: 'enp5s0', rxBytes: 123_456_789, txBytes: 98_765_432 });
  });

  it('reads an older agent that sends no sampled_at_ms and null GPUs, timing the sample on arrival', () => {
    const { sampled_at_ms: _time, process_count: _count, ...older } = REAL_METRICS;
    const decoded = decodeMetrics({ ...older, gpus: null }, 42);
    expect(decoded?.sample.timeMs).toBe(42);
    expect(decoded?.sample.gpus).toBeUndefined();
    expect(decoded?.host.gpus).toBeUndefined();
  });

  it('reads documented GPU keys and every alias the real client accepts', () => {
    const gpus = [
      { name: 'documented', usage: 10, memory_used: 1, memory_total: 2, temp_c: 30 },
      { name: 'current', utilization: 20, mem_used: 3, mem_total: 4, temp: 40 },
      { name: 'legacy', gpu_util_pct: 30, vram_used_bytes: 5, vram_total_bytes: 6, temperature_c: 50 },
      { name: 'other', gpu_utilization: 40 },
    ];
    const decoded = decodeMetrics({ ...REAL_METRICS, gpus }, 0);
    expect(decoded?.sample.gpus).toEqual([
      { index: 0, name: 'documented', utilizationPercent: 10, memoryUsedBytes: 1, memoryTotalBytes: 2, tempC: 30 },
      { index: 1, name: 'current', utilizationPercent: 20, memoryUsedBytes: 3, memoryTotalBytes: 4, tempC: 40 },
      { index: 2, name: 'legacy', utilizationPercent: 30, memoryUsedBytes: 5, memoryTotalBytes: 6, tempC: 50 },
      { index: 3, name: 'other', utilizationPercent: 40 },
    ]);
  });

  it('encodes exactly the documented keys plus sampled_at_ms, with empty disks and top_processes and whole bytes', () => {
    const encoded = encodeMetrics(snapshot);
    expect(Object.keys(encoded).sort()).toEqual(
      ['cpu_per_core', 'cpu_temp_c', 'cpu_total', 'disks', 'gpus', 'hostname', 'mem_total', 'mem_used', 'networks', 'sampled_at_ms', 'swap_total', 'swap_used', 'top_processes'].sort(),
    );
    expect(encoded).toMatchObject({ cpu_total: 12.5, cpu_per_core: [10, 15], mem_total: 64 * GIB, mem_used: 16 * GIB, swap_used: 1024, hostname: 'gpu-box', cpu_temp_c: 55, disks: [], top_processes: [], sampled_at_ms: 1_795_321_507_456 });
    expect(encoded.networks).toEqual([{ name: 'eth0', received: 1000, transmitted: 2000 }]);
  });

  it('sends each GPU under the documented keys and each real-client alias exactly once', () => {
    expect(encodeMetrics(snapshot).gpus).toEqual([
      { name: 'NVIDIA RTX A6000', usage: 87, memory_total: 48 * GIB, memory_used: 30 * GIB, temp_c: 71, utilization: 87, mem_used: 30 * GIB, mem_total: 48 * GIB },
    ]);
  });

  it('sends gpus null and cpu_temp_c null when the machine has neither', () => {
    const bare = encodeMetrics({ host: { id: 'h', hostname: 'h' }, sample: { timeMs: 1, cpu: { totalPercent: 1, perCorePercent: [1] }, gpus: [] } });
    expect(bare.gpus).toBeNull();
    expect(bare.cpu_temp_c).toBeNull();
    expect(bare.mem_total).toBe(0);
  });

  it('round-trips a snapshot through encode and decode', () => {
    const decoded = decodeMetrics(JSON.parse(JSON.stringify(encodeMetrics(snapshot))), 0);
    expect(decoded?.host).toMatchObject({ hostname: 'gpu-box', memoryTotalBytes: 64 * GIB, gpus: [{ index: 0, name: 'NVIDIA RTX A6000', memoryTotalBytes: 48 * GIB }] });
    expect(decoded?.sample).toEqual({
      timeMs: snapshot.sample.timeMs,
      cpu: { totalPercent: 12.5, perCorePercent: [10, 15], tempC: 55 },
      memory: { usedPercent: 25, totalBytes: 64 * GIB, usedBytes: 16 * GIB, swapTotalBytes: 8 * GIB, swapUsedBytes: 1024 },
      network: { interfaces: [{ name: 'eth0', rxBytes: 1000, txBytes: 2000 }] },
      gpus: [{ index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryUsedBytes: 30 * GIB, memoryTotalBytes: 48 * GIB, tempC: 71 }],
    });
  });

  it.each([
    ['not JSON', 'cpu_total'],
    ['an array', '[]'],
    ['null', 'null'],
    ['a string cpu_total', JSON.stringify({ ...REAL_METRICS, cpu_total: 'high' })],
    ['no cpu_per_core', JSON.stringify({ ...REAL_METRICS, cpu_per_core: undefined })],
    ['negative memory', JSON.stringify({ ...REAL_METRICS, mem_total: -1 })],
    ['a malformed network', JSON.stringify({ ...REAL_METRICS, networks: [{ name: 3 }] })],
    ['GPUs that are not objects', JSON.stringify({ ...REAL_METRICS, gpus: [1, 2] })],
  ])('returns null for a metrics reply with %s', (_what, frame) => {
    expect(decodeMetrics(replyJson(frame), 0)).toBeNull();
  });
});

describe('socktop disks codec', () => {
  it('decodes a real disks reply with temperature and is_partition, null temperature included', () => {
    expect(decodeDisks(REAL_DISKS)).toEqual([
      { name: 'nvme0n1p2', totalBytes: 1_000_204_886_016, availableBytes: 400_000_000_000, usedBytes: 600_204_886_016, usedPercent: 60, tempC: 41.5 },
      { name: 'sda', totalBytes: 4_000_787_030_016, availableBytes: 3_000_000_000_000, usedBytes: 1_000_787_030_016, usedPercent: 25 },
    ]);
  });

  it('encodes name, total and available in bytes, and temperature only when known', () => {
    const encoded = encodeDisks([
      { name: '/dev/sda1', mountPoint: '/', totalBytes: 1000.4, availableBytes: 400.2, usedBytes: 600, usedPercent: 60 },
      { name: '/dev/nvme0n1', totalBytes: 2000, availableBytes: 1000, tempC: 40 },
    ]);
    expect(encoded).toEqual([
      { name: '/dev/sda1', total: 1000, available: 400 },
      { name: '/dev/nvme0n1', total: 2000, available: 1000, temperature: 40 },
    ]);
    expect(decodeDisks(JSON.parse(JSON.stringify(encoded)))?.map((disk) => disk.usedBytes)).toEqual([600, 1000]);
  });

  it("reads as df does where the filesystem holds blocks back: this machine's / (df: 23 %), not 69 %", () => {
    // statfs of / on the build machine: size 270.6 GB, used 24.8 GB, available 84.1 GB (root's reserve and more held back).
    const root = { name: '/dev/vda', mountPoint: '/', totalBytes: 270_553_174_016, usedBytes: 24_847_093_760, availableBytes: 84_097_200_128, usedPercent: 23 };
    const [read] = decodeDisks(JSON.parse(JSON.stringify(encodeDisks([root]))))!;
    expect(read!.usedBytes).toBe(root.usedBytes);
    expect(Math.round(read!.usedPercent!)).toBe(23);
  });

  it.each([null, {}, [{ name: 'sda' }], [{ name: 'sda', total: '1', available: 0 }]])('returns null for the hostile disks reply %j', (value) => {
    expect(decodeDisks(value)).toBeNull();
  });
});

describe('socktop reply framing', () => {
  it('compresses only payloads over 768 bytes, and marks them with the gzip magic', () => {
    const small = new Uint8Array(768).fill(65);
    const large = new Uint8Array(769).fill(65);
    expect(gzipAboveThreshold(small)).toBe(small);
    const compressed = gzipAboveThreshold(large);
    expect(isGzip(compressed)).toBe(true);
    expect(gunzipBounded(compressed)).toEqual(large);
  });

  it('reads JSON from text frames and from gzip binary frames, and nothing from other binary frames', () => {
    expect(replyJson('{"a":1}')).toEqual({ a: 1 });
    expect(replyJson(new Uint8Array(gzipSync('{"a":2}')))).toEqual({ a: 2 });
    expect(replyJson(new TextEncoder().encode('{"a":3}'))).toBeUndefined();
  });

  it('refuses a gzip bomb instead of inflating it, and corrupt or truncated gzip without throwing', () => {
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(gunzipBounded(bomb)).toBeNull();
    expect(replyJson(bomb)).toBeUndefined();
    const good = new Uint8Array(gzipSync('{"cpu_total":1}'));
    expect(gunzipBounded(good.subarray(0, 14))).toBeNull();
    expect(gunzipBounded(new Uint8Array([0x1f, 0x8b, 0xff, 0xff, 0xff]))).toBeNull();
    expect(replyJson(new Uint8Array(gzipSync(Buffer.from([0xff, 0xfe, 0xfd]))))).toBeUndefined();
  });
});
