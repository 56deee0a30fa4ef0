import { describe, expect, it } from 'vitest';
import type { Sample } from '../proto/model';
import { DEFAULT_HISTORY_LIMITS, HistoryTable } from './history-table';
import { chartedInterfaces, COLUMN, MAX_CHARTED_CORES, MAX_CHARTED_DISKS, MAX_CHARTED_GPUS, MAX_CHARTED_INTERFACES, sampleColumns } from './sample-columns';

const GPU_COLUMNS_EACH = 4;

function bigBox(timeMs: number, options: { cores: number; gpus: number; disks?: number; interfaces?: number }): Sample {
  return {
    timeMs,
    cpu: { totalPercent: 40, perCorePercent: Array.from({ length: options.cores }, (_, core) => core % 100), tempC: 55, load: [90, 80, 70] },
    memory: { usedPercent: 30, totalBytes: 1e12, usedBytes: 3e11, swapTotalBytes: 1e9, swapUsedBytes: 0 },
    diskUsedPercent: 20,
    network: { rxBytesPerSec: 1e6, txBytesPerSec: 1e5, interfaces: [{ name: 'lo', rxBytesPerSec: 5, txBytesPerSec: 5 }, ...Array.from({ length: options.interfaces ?? 2 }, (_, index) => ({ name: `eth${index}`, rxBytesPerSec: 1000 * index, txBytesPerSec: 10 * index }))] },
    gpus: Array.from({ length: options.gpus }, (_, index) => ({ index, utilizationPercent: 10 + index, memoryUsedBytes: 8e9, memoryTotalBytes: 80e9, tempC: 60 + index, powerWatts: 300 })),
    disks: Array.from({ length: options.disks ?? 2 }, (_, index) => ({ name: `nvme${index}n1`, mountPoint: `/data${index}`, totalBytes: 1e12, usedBytes: 1e11 * index })),
  };
}

function record(samples: Sample[]): HistoryTable {
  const table = new HistoryTable();
  for (const sample of samples) table.push(sample.timeMs, sampleColumns(sample));
  return table;
}

describe('sampleColumns on many-core GPU servers', () => {
  it('keeps every GPU’s utilization, memory and temperature history on a 192-core host with 8 GPUs', () => {
    const table = record(Array.from({ length: 30 }, (_, second) => bigBox(second * 1000, { cores: 192, gpus: 8 })));
    for (let index = 0; index < 8; index++) {
      expect(table.points(COLUMN.gpuUtilization(index)).map((point) => point.y)).toEqual(Array(30).fill(10 + index));
      expect(table.points(COLUMN.gpuMemory(index))).toHaveLength(30);
      expect(table.points(COLUMN.gpuTemp(index)).at(-1)?.y).toBe(60 + index);
      expect(table.points(COLUMN.gpuPower(index))).toHaveLength(30);
    }
    expect(table.points(COLUMN.gpuUtilizationMax)).toHaveLength(30);
    expect(table.points(COLUMN.disk('/data1'))).toHaveLength(30);
    expect(table.points(COLUMN.cpu)).toHaveLength(30);
  });

  it('keeps the first cores up to the per-core cap and no more', () => {
    const table = record([bigBox(0, { cores: 192, gpus: 8 })]);
    expect(table.has(COLUMN.core(MAX_CHARTED_CORES - 1))).toBe(true);
    expect(table.has(COLUMN.core(MAX_CHARTED_CORES))).toBe(false);
  });

  it('still keeps GPUs that first report after the cores have been recorded', () => {
    const first = bigBox(0, { cores: 384, gpus: 0, disks: 64 });
    const table = record([first, ...Array.from({ length: 5 }, (_, step) => bigBox((step + 1) * 1000, { cores: 384, gpus: 16, disks: 64 }))]);
    for (let index = 0; index < 16; index++) expect(table.points(COLUMN.gpuUtilization(index))).toHaveLength(5);
  });

  it('never asks for more columns in one host than the history keeps', () => {
    const summaryColumns = Object.values(COLUMN).filter((value) => typeof value === 'string').length;
    expect(summaryColumns + MAX_CHARTED_GPUS * GPU_COLUMNS_EACH + MAX_CHARTED_DISKS + MAX_CHARTED_CORES + 2 * MAX_CHARTED_INTERFACES).toBeLessThanOrEqual(DEFAULT_HISTORY_LIMITS.maxColumns);
    const row = sampleColumns(bigBox(0, { cores: 1024, gpus: 64, disks: 500, interfaces: 40 }));
    expect(Object.keys(row).length).toBeLessThanOrEqual(DEFAULT_HISTORY_LIMITS.maxColumns);
  });

  it('never charts the virtual interfaces containers come and go with', () => {
    const row = sampleColumns({ timeMs: 0, network: { interfaces: ['eth0', 'veth3f2a1b', 'docker0', 'br-91ac', 'cali12'].map((name) => ({ name, rxBytesPerSec: 1, txBytesPerSec: 1 })) } });
    expect(chartedInterfaces(Object.keys(row))).toEqual(['eth0']);
  });

  it('charts each network interface both ways, never loopback, at most the interface cap', () => {
    const few = sampleColumns(bigBox(0, { cores: 2, gpus: 0, interfaces: 2 }));
    expect([few[COLUMN.interfaceRx('eth1')], few[COLUMN.interfaceTx('eth1')], few[COLUMN.interfaceRx('lo')]]).toEqual([1000, 10, undefined]);
    expect(chartedInterfaces(Object.keys(few))).toEqual(['eth0', 'eth1']);
    const many = sampleColumns(bigBox(0, { cores: 2, gpus: 0, interfaces: 40 }));
    expect(chartedInterfaces(Object.keys(many))).toHaveLength(MAX_CHARTED_INTERFACES);
  });
});
