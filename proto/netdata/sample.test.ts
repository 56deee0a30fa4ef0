import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { Sample } from '../model';
import { decodeAllmetrics } from './sample';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const MIB = 2 ** 20;
const GIB = 2 ** 30;
const NOW = 1_796_504_731_500;

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const REAL = fixture('netdata-1.37.1-allmetrics.json');

function decode(body: string): Sample | undefined {
  const decoded = decodeAllmetrics(body, NOW);
  if ('problem' in decoded) throw new Error(decoded.problem);
  return decoded.sample;
}

function problemOf(body: string): string {
  const decoded = decodeAllmetrics(body, NOW);
  return 'problem' in decoded ? decoded.problem : 'decoded';
}

/** The real answer with some charts' dimensions replaced. */
function realWith(changes: Record<string, Record<string, number | null | string>>): string {
  const answer = JSON.parse(REAL) as Record<string, { dimensions: Record<string, { value: unknown }> }>;
  for (const [chart, dimensions] of Object.entries(changes)) {
    for (const [dimension, value] of Object.entries(dimensions)) answer[chart]!.dimensions[dimension]!.value = value;
  }
  return JSON.stringify(answer);
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(numbersIn);
}

function chartsOf(count: number, id: (index: number) => string, dimensions: Record<string, number>, units: string, family?: (index: number) => string): string {
  const dims = Object.fromEntries(Object.entries(dimensions).map(([key, value]) => [key, { name: key, value }]));
  return Array.from({ length: count }, (_, index) => `"${id(index)}":${JSON.stringify({ family: family?.(index), context: 'x', units, last_updated: 1, dimensions: dims })}`).join(',');
}

describe('netdata allmetrics decoding', () => {
  it('decodes the real Netdata 1.37.1 answer: CPU states into busy percent, MiB, GiB and kilobits/s into bytes', () => {
    const sample = decode(REAL)!;
    expect(sample).toEqual({
      timeMs: NOW,
      cpu: {
        // user 40 + system 18.5 + nice 1.5 + softirq 0.5 of 100; iowait (0.5) is idle, as our agent counts it.
        totalPercent: expect.closeTo(60.5, 6),
        perCorePercent: [expect.closeTo(100 - 28.7128713, 5), expect.closeTo(51, 6)],
        load: [1.18, 1.27, 1.08],
      },
      memory: {
        // free + used + cached + buffers: /proc/meminfo's MemTotal (24683748 kB) to the byte; used is total − MemAvailable.
        totalBytes: 25_276_157_952,
        usedBytes: 25_276_157_952 - Math.round(23525.109375 * MIB),
        usedPercent: expect.closeTo(2.4066, 3),
      },
      // Not /dev, /dev/shm or /run/netns (a bind mount of /): the kernel's own mounts, as node_exporter leaves them out.
      disks: [
        {
          name: '/',
          mountPoint: '/',
          // df's Size: avail + used + reserved for root.
          totalBytes: Math.round(76.6459656 * GIB) + Math.round(24.8163147 * GIB) + Math.round(150.5099983 * GIB),
          usedBytes: Math.round(24.8163147 * GIB),
          availableBytes: Math.round(76.6459656 * GIB),
          usedPercent: expect.closeTo(24.4587, 3),
        },
      ],
      // 0.2721722 kilobits/s is 34 bytes/s; sent arrives as −0.2721722.
      network: { interfaces: [{ name: 'eth0', rxBytesPerSec: 34, txBytesPerSec: 34 }], rxBytesPerSec: 34, txBytesPerSec: 34 },
      uptimeSec: 40719,
    });
  });

  it('leaves loopback out of the interfaces, should Netdata be told to chart it', () => {
    const answer = JSON.parse(REAL) as Record<string, { family: string }>;
    answer['net.lo'] = { ...answer['net.eth0']!, family: 'lo' };
    expect(decode(JSON.stringify(answer))!.network?.interfaces?.map(({ name }) => name)).toEqual(['eth0']);
  });

  it('gives no sample for the `{}` Netdata answers in its first second', () => {
    expect(decode(fixture('netdata-1.37.1-allmetrics-first-second.json'))).toBeUndefined();
  });

  it('reads no CPU from a first collection whose states are all 0, instead of 100 % busy', () => {
    const zeros = Object.fromEntries(['guest_nice', 'guest', 'steal', 'softirq', 'irq', 'user', 'system', 'nice', 'iowait', 'idle'].map((state) => [state, 0]));
    const sample = decode(realWith({ 'system.cpu': zeros, 'cpu.cpu0': zeros, 'cpu.cpu1': zeros }))!;
    expect(sample.cpu).toBeUndefined();
    expect(sample.memory?.totalBytes).toBe(25_276_157_952);
  });

  it('says an HTML page is not Netdata, with the real dashboard page', () => {
    expect(problemOf(fixture('netdata-1.37.1-dashboard-start.html'))).toBe("answered with an HTML page, not Netdata's JSON: is this Netdata's port?");
  });

  it('says a truncated answer is not JSON', () => {
    expect(problemOf(REAL.slice(0, REAL.length / 2))).toBe("answered with something that is not JSON (cut short?), not Netdata's allmetrics");
  });

  it('says JSON of another shape is not allmetrics', () => {
    expect(problemOf('[1,2,3]')).toBe("answered with JSON that is not Netdata's allmetrics object");
    expect(problemOf('{"status":"success","data":{"version":"2.42.0"}}')).toBe('answered with JSON that holds no Netdata charts');
  });

  it('leaves out what a null value (how Netdata writes NaN) makes unknowable, and keeps the rest', () => {
    const sample = decode(realWith({ 'system.cpu': { idle: null }, 'system.ram': { free: null }, 'system.load': { load5: null }, 'net.eth0': { sent: null }, 'disk_space._': { used: null } }))!;
    expect(sample.cpu).toBeUndefined();
    expect(sample.memory).toBeUndefined();
    expect(sample.network).toEqual({ rxBytesPerSec: 34, txBytesPerSec: 34 });
    expect(sample.disks?.some((disk) => disk.mountPoint === '/') ?? false).toBe(false);
    expect(sample.uptimeSec).toBe(40719);
  });

  it('treats NaN and Infinity written as bare words as a broken answer, never as numbers', () => {
    expect(problemOf(REAL.replace('"value": 39.0000000', '"value": NaN'))).toBe("answered with something that is not JSON (cut short?), not Netdata's allmetrics");
    expect(problemOf(REAL.replace('"value": 39.0000000', '"value": inf'))).toBe("answered with something that is not JSON (cut short?), not Netdata's allmetrics");
  });

  it('drops absurd and wrongly typed values, and never yields NaN or Infinity', () => {
    const sample = decode(
      realWith({
        'system.cpu': { user: 1e308, system: 1e308 },
        'cpu.cpu0': { idle: 'lots' },
        'system.ram': { free: 1e308 },
        'system.load': { load1: -1 },
        'net.eth0': { received: 1e300 },
        'system.net': { InOctets: -1e300 },
        'disk_space._': { avail: 1e300 },
      }),
    )!;
    expect(sample.cpu).toBeUndefined();
    expect(sample.memory).toBeUndefined();
    expect(sample.uptimeSec).toBe(40719);
    expect(sample.network).toBeUndefined();
    expect(sample.disks?.some((disk) => disk.mountPoint === '/') ?? false).toBe(false);
    expect(numbersIn(sample).every(Number.isFinite)).toBe(true);
  });

  it('drops an absurd uptime and keeps the rest', () => {
    const sample = decode(realWith({ 'system.uptime': { uptime: 1e300 } }))!;
    expect(sample.uptimeSec).toBeUndefined();
    expect(sample.cpu?.totalPercent).toBeCloseTo(60.5, 6);
  });

  it('reads no chart whose unit it does not know', () => {
    const answer = JSON.parse(REAL) as Record<string, { units: string }>;
    answer['system.ram']!.units = 'pages';
    answer['disk_space._']!.units = 'inodes';
    answer['net.eth0']!.units = 'packets/s';
    const sample = decode(JSON.stringify(answer))!;
    expect(sample.memory).toBeUndefined();
    expect(sample.disks?.some((disk) => disk.mountPoint === '/') ?? false).toBe(false);
    expect(sample.network?.interfaces).toBeUndefined();
  });

  it('decodes an answer of 60,000 charts (a server that ignored the filter) into a bounded sample', () => {
    const charts = [
      chartsOf(30_000, (index) => `cgroup_container${index}.cpu`, { user: 1, system: 1 }, 'percentage'),
      chartsOf(10_000, (index) => `net.veth${index}`, { received: 8, sent: -8 }, 'kilobits/s', (index) => `veth${index}`),
      ...Array.from({ length: 10_000 }, (_, index) => chartsOf(1, () => `disk_space._mnt_${index}`, { avail: 1, used: index + 1, reserved_for_root: 0 }, 'GiB', () => `/mnt/${index}`)),
      chartsOf(10_000, (index) => `cpu.cpu${index}`, { user: 50, idle: 50 }, 'percentage'),
      chartsOf(1, () => 'system.cpu', { user: 50, idle: 50 }, 'percentage'),
    ];
    const body = `{${charts.join(',')}}`;
    const sample = decode(body)!;
    expect(sample.network?.interfaces).toHaveLength(256);
    expect(sample.network?.rxBytesPerSec).toBe(256 * 1000);
    expect(sample.disks).toHaveLength(256);
    expect(sample.cpu?.perCorePercent).toHaveLength(1024);
  });
});
