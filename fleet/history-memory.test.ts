// The history table's memory bound (the page's live history): 50 hosts at 1 Hz for one hour, then a second
// hour. Behaviour only: every host keeps a full hour, and the second hour allocates nothing more.

import { describe, expect, it } from 'vitest';
import type { Sample } from '../proto/model';
import { HistoryTable } from './history-table';
import { sampleColumns } from './sample-columns';

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

describe('history memory', () => {
  it('holds 50 hosts × 1 Hz × 1 h and stays the same size through a second hour', () => {
    const tables = Array.from({ length: HOSTS }, () => new HistoryTable());
    const feed = (fromSec: number, toSec: number): void => {
      for (let second = fromSec; second < toSec; second++) tables.forEach((table, host) => table.push(second * 1000, sampleColumns(sampleAt(second * 1000, host))));
    };
    const bytes = (): number => tables.reduce((sum, table) => sum + table.byteSize, 0);

    feed(0, HOUR_SEC);
    const afterOneHour = bytes();
    feed(HOUR_SEC, 2 * HOUR_SEC);
    const afterTwoHours = bytes();

    expect(afterTwoHours).toBe(afterOneHour);
    // About 30 columns of 4-byte values plus 8-byte times, 4096 rows each: well under 1 MiB per host.
    expect(afterTwoHours / HOSTS).toBeLessThan(1024 * 1024);
    for (const table of tables) {
      const cpu = table.points('cpu');
      expect(cpu.at(-1)!.x - cpu[0]!.x).toBeGreaterThanOrEqual(HOUR_SEC * 1000);
      expect(table.points('core.15').length).toBe(cpu.length);
    }
  });
});
