// vStats: one lenient reader for every metrics object the protocol carries — the documented dashboard form
// ({cpu:{usage,cores}, network:{rx,tx}}), the documented agent push, and the real agents' full form
// (`rx_bytes`, `mount_points[]`, `gpu.gpus[]`). Go sends absent slices as null, so every part is nullish.

import { z } from 'zod';
import type { DiskSample, GpuInfo, GpuSample, HostInfo, NetworkSample, Sample } from '../model';
import { percentOf, wireTimeToMs } from '../units';

const finite = z.number().finite();
const text = z.string().max(1024);

const diskSchema = z.object({
  name: text.nullish(),
  mount_point: text.nullish(),
  mount_points: z.array(text).max(64).nullish(),
  fs_type: text.nullish(),
  disk_type: text.nullish(),
  total: finite.nullish(),
  used: finite.nullish(),
  available: finite.nullish(),
  usage_percent: finite.nullish(),
});

const interfaceSchema = z.object({
  name: text.nullish(),
  rx: finite.nullish(),
  tx: finite.nullish(),
  rx_bytes: finite.nullish(),
  tx_bytes: finite.nullish(),
});

const gpuSchema = z.object({
  index: finite.nullish(),
  name: text.nullish(),
  vendor: text.nullish(),
  memory_total: finite.nullish(),
  memory_used: finite.nullish(),
  utilization: finite.nullish(),
  temperature: finite.nullish(),
  power_draw: finite.nullish(),
});

export const metricsSchema = z.object({
  timestamp: z.union([z.string().max(64), finite]).nullish(),
  hostname: z.string().max(255).nullish(),
  os: z.object({ name: text.nullish(), version: text.nullish(), kernel: text.nullish(), arch: text.nullish() }).nullish(),
  cpu: z
    .object({
      brand: text.nullish(),
      cores: finite.nullish(),
      usage: finite.nullish(),
      frequency: finite.nullish(),
      per_core: z.array(finite).max(4096).nullish(),
    })
    .nullish(),
  memory: z
    .object({
      total: finite.nullish(),
      used: finite.nullish(),
      available: finite.nullish(),
      swap_total: finite.nullish(),
      swap_used: finite.nullish(),
      usage_percent: finite.nullish(),
    })
    .nullish(),
  disks: z.array(diskSchema).max(1024).nullish(),
  network: z
    .object({
      rx: finite.nullish(),
      tx: finite.nullish(),
      interfaces: z.array(interfaceSchema).max(1024).nullish(),
      total_rx: finite.nullish(),
      total_tx: finite.nullish(),
      rx_speed: finite.nullish(),
      tx_speed: finite.nullish(),
    })
    .nullish(),
  uptime: finite.nullish(),
  load_average: z.object({ one: finite.nullish(), five: finite.nullish(), fifteen: finite.nullish() }).nullish(),
  gpu: z.object({ gpus: z.array(gpuSchema).max(64).nullish() }).nullish(),
  version: text.nullish(),
});

export type WireMetrics = z.infer<typeof metricsSchema>;

/** Host facts a metrics object carries; the id is the server id, which the metrics never hold. */
export type HostFacts = Partial<Omit<HostInfo, 'id'>>;

/** Go's zero time and other pre-2000 stamps mean "not set". */
const EARLIEST_PLAUSIBLE_MS = Date.UTC(2000, 0, 1);

export function metricsTimeMs(metrics: WireMetrics, nowMs: number): number {
  const timeMs = wireTimeToMs(metrics.timestamp);
  return timeMs !== undefined && timeMs >= EARLIEST_PLAUSIBLE_MS ? timeMs : nowMs;
}

export function toSample(metrics: WireMetrics, nowMs: number): Sample {
  const sample: Sample = { timeMs: metricsTimeMs(metrics, nowMs) };
  const cpu = metrics.cpu;
  if (cpu?.usage != null) {
    sample.cpu = { totalPercent: cpu.usage };
    if (cpu.per_core && cpu.per_core.length > 0) sample.cpu.perCorePercent = cpu.per_core;
    if (cpu.frequency) sample.cpu.frequencyMhz = cpu.frequency;
    const load = metrics.load_average;
    if (load && load.one != null && load.five != null && load.fifteen != null) sample.cpu.load = [load.one, load.five, load.fifteen];
  }
  const memory = metrics.memory;
  if (memory && (memory.usage_percent != null || memory.total)) {
    const totalBytes = memory.total ?? undefined;
    const usedBytes = memory.used ?? (totalBytes !== undefined && memory.available != null ? totalBytes - memory.available : undefined);
    sample.memory = {
      usedPercent: memory.usage_percent ?? percentOf(usedBytes ?? 0, totalBytes ?? 0),
      totalBytes,
      usedBytes,
    };
    if (memory.swap_total != null) sample.memory.swapTotalBytes = memory.swap_total;
    if (memory.swap_used != null) sample.memory.swapUsedBytes = memory.swap_used;
  }
  if (metrics.disks) sample.disks = metrics.disks.map(toDisk);
  if (metrics.network) sample.network = toNetwork(metrics.network);
  if (metrics.uptime != null) sample.uptimeSec = metrics.uptime;
  const gpus = metrics.gpu?.gpus;
  if (gpus && gpus.length > 0) sample.gpus = gpus.map(toGpuSample);
  return sample;
}

export function toHostFacts(metrics: WireMetrics): HostFacts {
  const facts: HostFacts = {};
  if (metrics.hostname) facts.hostname = metrics.hostname;
  const os = metrics.os;
  if (os?.name) facts.os = { name: os.name, version: os.version || undefined, kernel: os.kernel || undefined, arch: os.arch || undefined };
  if (metrics.cpu?.cores) facts.cpu = { model: metrics.cpu.brand || 'Unknown', cores: metrics.cpu.cores };
  if (metrics.memory?.total) facts.memoryTotalBytes = metrics.memory.total;
  const gpus = metrics.gpu?.gpus;
  if (gpus && gpus.length > 0) facts.gpus = gpus.map(toGpuInfo);
  if (metrics.version) facts.serverStatus = `agent version ${metrics.version}`;
  return facts;
}

function toDisk(disk: z.infer<typeof diskSchema>, position: number): DiskSample {
  const totalBytes = disk.total ?? undefined;
  const usedBytes = disk.used ?? undefined;
  const mountPoint = disk.mount_point || disk.mount_points?.[0] || undefined;
  return {
    name: disk.name || mountPoint || `disk ${position}`,
    mountPoint,
    fsType: disk.fs_type || disk.disk_type || undefined,
    totalBytes,
    usedBytes,
    availableBytes: disk.available ?? (totalBytes !== undefined && usedBytes !== undefined ? totalBytes - usedBytes : undefined),
    usedPercent: disk.usage_percent ?? (totalBytes ? percentOf(usedBytes ?? 0, totalBytes) : undefined),
  };
}

function toNetwork(network: NonNullable<WireMetrics['network']>): NetworkSample {
  const sample: NetworkSample = {};
  if (network.interfaces) {
    sample.interfaces = network.interfaces.map((net, position) => ({
      name: net.name || `interface ${position}`,
      rxBytes: net.rx_bytes ?? net.rx ?? undefined,
      txBytes: net.tx_bytes ?? net.tx ?? undefined,
    }));
  }
  // The dashboard form's `rx`/`tx` and the real agents' `*_speed` are rates; `total_*` are counters.
  const rxRate = network.rx_speed ?? network.rx;
  const txRate = network.tx_speed ?? network.tx;
  if (rxRate != null) sample.rxBytesPerSec = rxRate;
  if (txRate != null) sample.txBytesPerSec = txRate;
  if (network.total_rx != null) sample.rxTotalBytes = network.total_rx;
  if (network.total_tx != null) sample.txTotalBytes = network.total_tx;
  return sample;
}

function toGpuSample(gpu: z.infer<typeof gpuSchema>, position: number): GpuSample {
  return {
    index: gpu.index ?? position,
    name: gpu.name ?? undefined,
    utilizationPercent: gpu.utilization ?? undefined,
    memoryUsedBytes: gpu.memory_used ?? undefined,
    memoryTotalBytes: gpu.memory_total ?? undefined,
    tempC: gpu.temperature || undefined,
    powerWatts: gpu.power_draw || undefined,
  };
}

function toGpuInfo(gpu: z.infer<typeof gpuSchema>, position: number): GpuInfo {
  return {
    index: gpu.index ?? position,
    name: gpu.name || `GPU ${gpu.index ?? position}`,
    vendor: gpu.vendor || undefined,
    memoryTotalBytes: gpu.memory_total ?? undefined,
  };
}
