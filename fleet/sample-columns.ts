// Flattens a normalized Sample into the named columns the history keeps, and names those columns.
// Pure; the only place that knows which chartable number lives where in the model.

import type { HostInfo, Sample } from '../proto/model';

/**
 * Caps per group of columns. Together with the fixed summary columns they fit the history's column limit
 * (sample-columns.test.ts checks the sum), so no group crowds out another whatever order columns first
 * appear in: a 192-core host with 8 GPUs keeps all its GPU history and the per-core history of its first
 * 64 cores. Cores get the smallest share because a chart of more lines than that is unreadable anyway.
 */
export const MAX_CHARTED_GPUS = 16;
export const MAX_CHARTED_DISKS = 16;
export const MAX_CHARTED_CORES = 64;
/** Network interfaces charted each way. */
export const MAX_CHARTED_INTERFACES = 8;
/**
 * Loopback and the virtual interfaces containers and tunnels come and go with: each name would be a
 * column kept for good, and container churn would fill a host's columns with them.
 */
const NOT_CHARTED_INTERFACE = /^(lo\d*|veth|docker|br-|cali|virbr|vnet|flannel|cni|vxlan|tunl|kube|ifb|tap|tun)/;

/** Column names. Per-core, per-GPU and per-disk columns carry an index or a name. */
export const COLUMN = {
  cpu: 'cpu',
  cpuTemp: 'cpu.temp',
  load1: 'load.1',
  memory: 'mem',
  memoryUsedBytes: 'mem.used',
  swap: 'swap',
  swapUsedBytes: 'swap.used',
  diskOverall: 'disk',
  networkRx: 'net.rx',
  networkTx: 'net.tx',
  /** The busiest GPU: what cards, sparklines and alert rules use for a machine with several. */
  gpuUtilizationMax: 'gpu.util',
  gpuMemoryMax: 'gpu.mem',
  gpuTempMax: 'gpu.temp',
  core: (index: number) => `core.${index}`,
  gpuUtilization: (index: number) => `gpu.${index}.util`,
  gpuMemory: (index: number) => `gpu.${index}.mem`,
  gpuTemp: (index: number) => `gpu.${index}.temp`,
  gpuPower: (index: number) => `gpu.${index}.power`,
  disk: (name: string) => `disk:${name}`,
  interfaceRx: (name: string) => `netif.rx:${name}`,
  interfaceTx: (name: string) => `netif.tx:${name}`,
} as const;

/** The interfaces a host's columns chart, in the order their columns were first seen. */
export function chartedInterfaces(columns: Iterable<string>): string[] {
  const names: string[] = [];
  for (const column of columns) if (column.startsWith('netif.rx:')) names.push(column.slice('netif.rx:'.length));
  return names;
}

/** Percent of a GPU's memory in use, from the sample or, failing that, the host's static GPU info. */
export function gpuMemoryPercent(gpu: NonNullable<Sample['gpus']>[number], info?: HostInfo): number | undefined {
  const total = gpu.memoryTotalBytes ?? info?.gpus?.find((known) => known.index === gpu.index)?.memoryTotalBytes;
  if (gpu.memoryUsedBytes === undefined || !total) return undefined;
  return (gpu.memoryUsedBytes / total) * 100;
}

/** What a disk's history column is named by: its mount point where the protocol gives one. */
export function diskKey(disk: NonNullable<Sample['disks']>[number]): string {
  return disk.mountPoint ?? disk.name;
}

export function diskPercent(disk: NonNullable<Sample['disks']>[number]): number | undefined {
  if (disk.usedPercent !== undefined) return disk.usedPercent;
  if (disk.totalBytes && disk.usedBytes !== undefined) return (disk.usedBytes / disk.totalBytes) * 100;
  if (disk.totalBytes && disk.availableBytes !== undefined) return ((disk.totalBytes - disk.availableBytes) / disk.totalBytes) * 100;
  return undefined;
}

export function swapPercent(memory: Sample['memory']): number | undefined {
  if (!memory?.swapTotalBytes || memory.swapUsedBytes === undefined) return undefined;
  return (memory.swapUsedBytes / memory.swapTotalBytes) * 100;
}

export function sampleColumns(sample: Sample, info?: HostInfo): Record<string, number | undefined> {
  // Runs for every reading of every host: plain loops, no slices, no closure per column, and only defined
  // values are set (deleting keys afterwards would turn the object into a slow dictionary).
  const row: Record<string, number> = {};
  put(row, COLUMN.cpu, sample.cpu?.totalPercent);
  put(row, COLUMN.cpuTemp, sample.cpu?.tempC);
  put(row, COLUMN.load1, sample.cpu?.load?.[0]);
  put(row, COLUMN.memory, sample.memory?.usedPercent);
  put(row, COLUMN.memoryUsedBytes, sample.memory?.usedBytes);
  put(row, COLUMN.swap, swapPercent(sample.memory));
  put(row, COLUMN.swapUsedBytes, sample.memory?.swapUsedBytes);
  put(row, COLUMN.diskOverall, sample.diskUsedPercent);
  put(row, COLUMN.networkRx, sample.network?.rxBytesPerSec);
  put(row, COLUMN.networkTx, sample.network?.txBytesPerSec);
  const gpus = sample.gpus;
  if (gpus && gpus.length > 0) {
    put(row, COLUMN.gpuUtilizationMax, maxOverGpus(gpus, (gpu) => gpu.utilizationPercent));
    put(row, COLUMN.gpuMemoryMax, maxOverGpus(gpus, (gpu) => gpuMemoryPercent(gpu, info)));
    put(row, COLUMN.gpuTempMax, maxOverGpus(gpus, (gpu) => gpu.tempC));
    for (let at = 0; at < gpus.length && at < MAX_CHARTED_GPUS; at += 1) {
      const gpu = gpus[at]!;
      put(row, COLUMN.gpuUtilization(gpu.index), gpu.utilizationPercent);
      put(row, COLUMN.gpuMemory(gpu.index), gpuMemoryPercent(gpu, info));
      put(row, COLUMN.gpuTemp(gpu.index), gpu.tempC);
      put(row, COLUMN.gpuPower(gpu.index), gpu.powerWatts);
    }
  }
  const disks = sample.disks ?? [];
  for (let at = 0; at < disks.length && at < MAX_CHARTED_DISKS; at += 1) put(row, COLUMN.disk(diskKey(disks[at]!)), diskPercent(disks[at]!));
  let interfaces = 0;
  for (const net of sample.network?.interfaces ?? []) {
    if (interfaces >= MAX_CHARTED_INTERFACES) break;
    if (NOT_CHARTED_INTERFACE.test(net.name) || (net.rxBytesPerSec === undefined && net.txBytesPerSec === undefined)) continue;
    put(row, COLUMN.interfaceRx(net.name), net.rxBytesPerSec);
    put(row, COLUMN.interfaceTx(net.name), net.txBytesPerSec);
    interfaces += 1;
  }
  const cores = sample.cpu?.perCorePercent ?? [];
  for (let at = 0; at < cores.length && at < MAX_CHARTED_CORES; at += 1) put(row, COLUMN.core(at), cores[at]);
  return row;
}

function put(row: Record<string, number>, key: string, value: number | undefined): void {
  if (value !== undefined) row[key] = value;
}

/** The largest finite value `pick` finds; counted without building an array, as it runs for every reading. */
export function maxOf<T>(items: readonly T[] | undefined, pick: (item: T) => number | undefined): number | undefined {
  let max: number | undefined;
  for (const item of items ?? []) {
    const value = pick(item);
    if (value !== undefined && Number.isFinite(value) && (max === undefined || value > max)) max = value;
  }
  return max;
}

/** The busiest GPU's value of one figure. */
export function maxOverGpus(gpus: Sample['gpus'], pick: (gpu: NonNullable<Sample['gpus']>[number]) => number | undefined): number | undefined {
  return maxOf(gpus, pick);
}
