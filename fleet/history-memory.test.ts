// The data layer's memory bound: 50 hosts at 1 Hz for one hour, then a second hour. Behaviour only:
// every host keeps a full hour, and the second hour allocates nothing more.

import { describe, expect, it } from 'vitest';
import type { Sample } from '../proto/model';
import { Fleet } from './fleet';

const HOSTS = 50;
const CORES = 16;
const HOUR_SEC = 3600;

function sampleAt(timeMs: number, host: number): Sample {
  const wave = (offset: number): number => 50 + 40 * Math.sin(timeMs / 60_000 + host + offset);
  return {
    timeMs,
    cpu: { totalPercent: wave(0), perCorePercent: Array.from({ length: CORES }, (_, core) => wave(core)), tempC: 60 },
    memory: { usedPercent: wave(1), totalBytes: 64e9, usedBytes: 32e9, swapTotalBytes: 8e9, swapUsedBytes: 1e9 },
    gpus: [0, 1].map((index) => ({ index, utilizationPercent: wave(index), memoryUsedBytes: 10e9, memoryTotalBytes: 48e9, tempC: 70 })),
    network: { rxBytesPerSec: 1e6, txBytesPerSec: 2e5 },
    disks: [{ name: 'nvme0n1', mountPoint: '/', totalBytes: 1e12, usedBytes: 4e11 }],
  };
}

describe('fleet history memory', () => {
  it('holds 50 hosts × 1 Hz × 1 h and stays the same size through a second hour', () => {
    const fleet = new Fleet();
    const specs = Array.from({ length: HOSTS }, (_, host) => ({ id: `srv-${host}`, name: `host ${host}`, local: false, endpoints: [{ protocol: 'socktop' as const, url: `ws://10.0.0.${host}:3000/ws` }] }));
    fleet.setSources(specs);
    const sinks = specs.map((spec) => fleet.sinkFor(spec.id, spec.endpoints[0]!.url));
    sinks.forEach((sink, host) => sink.host({ id: `10.0.0.${host}:3000`, hostname: `host-${host}` }));
    for (const spec of specs) fleet.setConnectionState(spec.id, spec.endpoints[0]!.url, { status: 'connected', sinceMs: 0 });

    const feed = (fromSec: number, toSec: number): void => {
      for (let second = fromSec; second < toSec; second++) sinks.forEach((sink, host) => sink.sample(`10.0.0.${host}:3000`, sampleAt(second * 1000, host)));
    };

    feed(0, HOUR_SEC);
    const afterOneHour = fleet.historyBytes();
    feed(HOUR_SEC, 2 * HOUR_SEC);
    const afterTwoHours = fleet.historyBytes();

    expect(afterTwoHours).toBe(afterOneHour);
    // About 30 columns of 4-byte values plus 8-byte times, 4096 rows each: well under 1 MiB per host.
    expect(afterTwoHours / HOSTS).toBeLessThan(1024 * 1024);
    for (const machine of fleet.machines()) {
      const cpu = fleet.series(machine, 'cpu');
      expect(cpu.at(-1)!.x - cpu[0]!.x).toBeGreaterThanOrEqual(HOUR_SEC * 1000);
      expect(fleet.series(machine, 'core.15').length).toBe(cpu.length);
    }
  });
});
