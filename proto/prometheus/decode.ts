// The answer to fleetQuery() as hosts: one per `instance` with node_uname_info, with its facts, whether its
// last scrape succeeded, and its figures in the model's units. Pure; every figure is checked finite and in
// range, and the counts of hosts, cores, filesystems and GPUs are bounded.

import type { DiskSample, GpuInfo, GpuSample, HostInfo, Sample } from '../model';
import { clampPercent, MIB } from '../units';
import type { InstantSeries, InstantVector } from './answer';
import { PART_LABEL, type QueryPart } from './promql';

/** More hosts than one source should hold in a window; a filter (`?job=`) narrows a bigger Prometheus. */
export const MAX_HOSTS = 2000;
const MAX_CORES = 1024;
const MAX_FILESYSTEMS = 128;
const MAX_GPUS = 64;
const MAX_BYTES = Number.MAX_SAFE_INTEGER;
const MAX_UPTIME_SEC = 100 * 365 * 24 * 3600;

export interface HostReading {
  /** The `instance` label: unique within one Prometheus, where hostnames need not be. */
  id: string;
  info: HostInfo;
  /** Its last scrape succeeded (`up` is 1); false once it fails or the target is gone. */
  online: boolean;
  /** Absent when the answer held no figure for it, as for a host that is down (its series are stale). */
  sample?: Sample;
}

export interface FleetReading {
  hosts: HostReading[];
  /** How many instances Prometheus scrapes in the jobs read, node_exporter or not: says why there are no hosts. */
  targetCount: number;
}

interface Filesystem {
  device: string;
  fsType: string;
  sizeBytes?: number;
  availBytes?: number;
  freeBytes?: number;
}

interface Gpu {
  name?: string;
  values: Map<string, number>;
}

interface Figures {
  uname?: Readonly<Record<string, string>>;
  up?: number;
  cores: Map<number, number>;
  /** By metric name: a Map, so that no name a server sends can reach an object's prototype. */
  gauges: Map<string, number>;
  filesystems: Map<string, Filesystem>;
  receive?: number;
  transmit?: number;
  gpus: Map<number, Gpu>;
}

/** Reads the answer to fleetQuery(); throws only when it names more hosts than MAX_HOSTS. */
export function decodeFleet(vector: InstantVector, nowMs: number): FleetReading {
  const byInstance = new Map<string, Figures>();
  const targets = new Set<string>();
  for (const series of vector.series) {
    const instance = series.labels.instance;
    if (!instance) continue;
    let figures = byInstance.get(instance);
    if (!figures) byInstance.set(instance, (figures = { cores: new Map(), gauges: new Map(), filesystems: new Map(), gpus: new Map() }));
    if (series.labels[PART_LABEL] === 'up') targets.add(instance);
    collect(figures, series);
  }
  const hostIds = [...byInstance.keys()].filter((instance) => byInstance.get(instance)!.uname).sort();
  if (hostIds.length > MAX_HOSTS) {
    throw new Error(`Prometheus lists ${hostIds.length} node_exporter instances, more than the ${MAX_HOSTS} one source shows: narrow it to some jobs with ?job=<regex> in its address`);
  }
  const timeMs = vector.timeMs ?? nowMs;
  return { hosts: hostIds.map((id) => hostReading(id, byInstance.get(id)!, timeMs)), targetCount: targets.size };
}

function collect(figures: Figures, { labels, value }: InstantSeries): void {
  switch (labels[PART_LABEL] as QueryPart | undefined) {
    case 'uname':
      figures.uname = labels;
      return;
    case 'up':
      figures.up = value;
      return;
    case 'core': {
      const core = index(labels.cpu, MAX_CORES);
      if (core !== undefined) figures.cores.set(core, value);
      return;
    }
    case 'gauge':
      if (labels.__name__) figures.gauges.set(labels.__name__, value);
      return;
    case 'filesystem': {
      const mountPoint = labels.mountpoint;
      if (!mountPoint) return;
      let filesystem = figures.filesystems.get(mountPoint);
      if (!filesystem) {
        if (figures.filesystems.size >= MAX_FILESYSTEMS) return;
        figures.filesystems.set(mountPoint, (filesystem = { device: labels.device ?? mountPoint, fsType: labels.fstype ?? '' }));
      }
      if (labels.__name__ === 'node_filesystem_size_bytes') filesystem.sizeBytes = value;
      if (labels.__name__ === 'node_filesystem_avail_bytes') filesystem.availBytes = value;
      if (labels.__name__ === 'node_filesystem_free_bytes') filesystem.freeBytes = value;
      return;
    }
    case 'receive':
      figures.receive = value;
      return;
    case 'transmit':
      figures.transmit = value;
      return;
    case 'gpu': {
      const gpuIndex = index(labels.gpu, MAX_GPUS);
      if (gpuIndex === undefined) return;
      let gpu = figures.gpus.get(gpuIndex);
      if (!gpu) figures.gpus.set(gpuIndex, (gpu = { values: new Map() }));
      if (labels.modelName) gpu.name = labels.modelName;
      if (labels.__name__) gpu.values.set(labels.__name__, value);
      return;
    }
    default:
      return;
  }
}

function hostReading(id: string, figures: Figures, timeMs: number): HostReading {
  const sample = toSample(figures, timeMs);
  const reading: HostReading = { id, info: toHostInfo(id, figures), online: figures.up === 1 };
  if (Object.keys(sample).length > 1) reading.sample = sample;
  return reading;
}

function toHostInfo(id: string, { uname, gauges, gpus }: Figures): HostInfo {
  const info: HostInfo = { id, hostname: uname?.nodename || id };
  const os = uname?.sysname;
  if (os) info.os = { name: os, ...(uname.release ? { kernel: uname.release } : {}), ...(uname.machine ? { arch: uname.machine } : {}) };
  const memoryTotalBytes = bytes(gauges.get('node_memory_MemTotal_bytes'));
  if (memoryTotalBytes) info.memoryTotalBytes = memoryTotalBytes;
  const gpuInfos: GpuInfo[] = [...gpus].sort(([a], [b]) => a - b).map(([index, gpu]) => ({ index, name: gpu.name ?? `GPU ${index}`, vendor: 'NVIDIA' }));
  if (gpuInfos.length > 0) info.gpus = gpuInfos;
  return info;
}

function toSample(figures: Figures, timeMs: number): Sample {
  const { gauges } = figures;
  const sample: Sample = { timeMs };
  const cores = [...figures.cores].sort(([a], [b]) => a - b).map(([, busy]) => clampPercent(busy));
  // The load rides on the CPU sample, which needs a total: none until two scrapes give a rate.
  if (cores.length > 0) {
    sample.cpu = { totalPercent: cores.reduce((sum, busy) => sum + busy, 0) / cores.length, perCorePercent: cores };
    const load = ['node_load1', 'node_load5', 'node_load15'].map((name) => nonNegative(gauges.get(name)));
    if (load.every((value) => value !== undefined)) sample.cpu.load = load as [number, number, number];
  }

  const totalBytes = bytes(gauges.get('node_memory_MemTotal_bytes'));
  const availableBytes = bytes(gauges.get('node_memory_MemAvailable_bytes'));
  if (totalBytes && availableBytes !== undefined) {
    const usedBytes = Math.max(0, totalBytes - availableBytes);
    sample.memory = { usedPercent: clampPercent((usedBytes / totalBytes) * 100), totalBytes, usedBytes };
    const swapTotalBytes = bytes(gauges.get('node_memory_SwapTotal_bytes'));
    const swapFreeBytes = bytes(gauges.get('node_memory_SwapFree_bytes'));
    if (swapTotalBytes !== undefined && swapFreeBytes !== undefined) {
      sample.memory.swapTotalBytes = swapTotalBytes;
      sample.memory.swapUsedBytes = Math.max(0, swapTotalBytes - swapFreeBytes);
    }
  }

  const disks = [...figures.filesystems].sort(([a], [b]) => a.localeCompare(b)).flatMap(([mountPoint, filesystem]) => toDisk(mountPoint, filesystem));
  if (disks.length > 0) sample.disks = disks;

  const rxBytesPerSec = bytes(figures.receive);
  const txBytesPerSec = bytes(figures.transmit);
  if (rxBytesPerSec !== undefined || txBytesPerSec !== undefined) {
    sample.network = {};
    if (rxBytesPerSec !== undefined) sample.network.rxBytesPerSec = Math.round(rxBytesPerSec);
    if (txBytesPerSec !== undefined) sample.network.txBytesPerSec = Math.round(txBytesPerSec);
  }

  const gpus = [...figures.gpus].sort(([a], [b]) => a - b).map(([index, gpu]) => toGpu(index, gpu));
  if (gpus.length > 0) sample.gpus = gpus;

  // The host's own clock when its exporter reports it (node_exporter does, our agent does not).
  const boot = gauges.get('node_boot_time_seconds');
  const now = gauges.get('node_time_seconds') ?? timeMs / 1000;
  const uptimeSec = boot === undefined ? undefined : Math.floor(now - boot);
  if (uptimeSec !== undefined && uptimeSec >= 0 && uptimeSec <= MAX_UPTIME_SEC) sample.uptimeSec = uptimeSec;
  return sample;
}

/**
 * As `df` counts, like node_exporter's own reader: used is size − free, and the share is of what users can
 * have (used + available), root's reserve in neither. Our agent exports no free bytes: there, what is not
 * available counts as used.
 */
function toDisk(mountPoint: string, { device, fsType, sizeBytes, availBytes, freeBytes }: Filesystem): DiskSample[] {
  const totalBytes = bytes(sizeBytes);
  const availableBytes = bytes(availBytes);
  if (!totalBytes || availableBytes === undefined) return [];
  const available = Math.min(availableBytes, totalBytes);
  const free = bytes(freeBytes);
  const usedBytes = Math.max(0, totalBytes - (free !== undefined && free <= totalBytes && free >= available ? free : available));
  const usable = usedBytes + available;
  return [{ name: device, mountPoint, ...(fsType ? { fsType } : {}), totalBytes, usedBytes, availableBytes: available, usedPercent: clampPercent(usable > 0 ? (usedBytes / usable) * 100 : 0) }];
}

function toGpu(index: number, { name, values }: Gpu): GpuSample {
  const gpu: GpuSample = { index };
  if (name) gpu.name = name;
  const utilization = values.get('DCGM_FI_DEV_GPU_UTIL');
  if (utilization !== undefined) gpu.utilizationPercent = clampPercent(utilization);
  const usedBytes = mebibytes(values.get('DCGM_FI_DEV_FB_USED'));
  const freeBytes = mebibytes(values.get('DCGM_FI_DEV_FB_FREE'));
  if (usedBytes !== undefined) gpu.memoryUsedBytes = usedBytes;
  const totalBytes = usedBytes === undefined || freeBytes === undefined ? undefined : bytes(usedBytes + freeBytes);
  if (totalBytes !== undefined) gpu.memoryTotalBytes = totalBytes;
  const tempC = values.get('DCGM_FI_DEV_GPU_TEMP');
  if (tempC !== undefined && tempC > -100 && tempC < 250) gpu.tempC = tempC;
  const powerWatts = values.get('DCGM_FI_DEV_POWER_USAGE');
  if (powerWatts !== undefined && powerWatts >= 0 && powerWatts < 100_000) gpu.powerWatts = powerWatts;
  return gpu;
}

/** A label that numbers a core or a GPU, below `limit`. */
function index(label: string | undefined, limit: number): number | undefined {
  if (label === undefined || !/^\d{1,6}$/.test(label)) return undefined;
  const value = Number(label);
  return value < limit ? value : undefined;
}

function nonNegative(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 && value < 1e9 ? value : undefined;
}

/** DCGM reports framebuffer memory in MiB. */
function mebibytes(value: number | undefined): number | undefined {
  return value === undefined ? undefined : bytes(value * MIB);
}

function bytes(value: number | undefined): number | undefined {
  return value !== undefined && value >= 0 && value <= MAX_BYTES ? value : undefined;
}
