// vStats real hubs' `delta` messages carry only the figures that changed since the last one. A client keeps
// the last full set per server and rebuilds a sample from it. Pure functions; wire keys stay in decode.ts.

import type { Sample } from '../model';

/** The figures a real hub's delta carries: whole percents, bytes per second, seconds. */
export interface CompactValues {
  cpuPercent?: number;
  memoryPercent?: number;
  /** The first disk's usage. */
  diskPercent?: number;
  rxBytesPerSec?: number;
  txBytesPerSec?: number;
  uptimeSec?: number;
}

export function compactFromSample(sample: Sample): CompactValues {
  const values: CompactValues = {};
  if (sample.cpu) values.cpuPercent = sample.cpu.totalPercent;
  if (sample.memory) values.memoryPercent = sample.memory.usedPercent;
  const diskPercent = sample.diskUsedPercent ?? sample.disks?.[0]?.usedPercent;
  if (diskPercent !== undefined) values.diskPercent = diskPercent;
  if (sample.network?.rxBytesPerSec !== undefined) values.rxBytesPerSec = sample.network.rxBytesPerSec;
  if (sample.network?.txBytesPerSec !== undefined) values.txBytesPerSec = sample.network.txBytesPerSec;
  if (sample.uptimeSec !== undefined) values.uptimeSec = sample.uptimeSec;
  return values;
}

/** The last full set with a partial update applied: keys the update lacks keep their last value. */
export function applyCompact(last: CompactValues, change: CompactValues): CompactValues {
  const next: CompactValues = { ...last };
  for (const key of Object.keys(change) as (keyof CompactValues)[]) {
    const value = change[key];
    if (value !== undefined) next[key] = value;
  }
  return next;
}

export function sampleFromCompact(values: CompactValues, timeMs: number, memoryTotalBytes?: number): Sample {
  const sample: Sample = { timeMs };
  if (values.cpuPercent !== undefined) sample.cpu = { totalPercent: values.cpuPercent };
  if (values.memoryPercent !== undefined) {
    sample.memory = { usedPercent: values.memoryPercent };
    if (memoryTotalBytes !== undefined) sample.memory.totalBytes = memoryTotalBytes;
  }
  if (values.diskPercent !== undefined) sample.diskUsedPercent = values.diskPercent;
  if (values.rxBytesPerSec !== undefined || values.txBytesPerSec !== undefined) {
    sample.network = { rxBytesPerSec: values.rxBytesPerSec, txBytesPerSec: values.txBytesPerSec };
  }
  if (values.uptimeSec !== undefined) sample.uptimeSec = values.uptimeSec;
  return sample;
}
