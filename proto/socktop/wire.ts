// socktop (`protobuf`) JSON replies: wire types and a pure codec for metrics and disks. Memory, disk and
// network figures are bytes; network counters are cumulative since boot; percentages are 0–100.
// The binary process list lives in processes.ts, process details and journal replies in details.ts.

import { z } from 'zod';
import type { DiskSample, GpuSample, HostInfo, NetworkInterfaceSample, Sample, Snapshot } from '../model';
import { parseJson, percentOf, round1 } from '../units';
import { gunzipBounded, isGzip } from './gzip';

/**
 * One GPU. The documented keys are `name, usage, memory_total, memory_used, temp_c`; the real client reads
 * `utilization, mem_used, mem_total, temp_c` and fails when one field arrives under two of its aliases, so
 * each real alias appears exactly once.
 */
export interface GpuMessage {
  name: string;
  /** Percent. */
  usage: number | null;
  /** Bytes. */
  memory_total: number | null;
  /** Bytes. */
  memory_used: number | null;
  temp_c: number | null;
  /** Percent (real client's key). */
  utilization: number | null;
  /** Bytes (real client's key). */
  mem_used: number | null;
  /** Bytes (real client's key). */
  mem_total: number | null;
}

export interface NetworkMessage {
  name: string;
  /** Bytes received since boot. */
  received: number;
  /** Bytes sent since boot. */
  transmitted: number;
}

export interface DiskMessage {
  name: string;
  /** Bytes. */
  total: number;
  /** Bytes. */
  available: number;
  temperature?: number;
  is_partition?: boolean;
}

/** The reply to `get_metrics`. */
export interface MetricsMessage {
  /** Percent of the whole machine. */
  cpu_total: number;
  cpu_per_core: number[];
  /** Bytes. */
  mem_total: number;
  /** Bytes: total − available. */
  mem_used: number;
  swap_total: number;
  swap_used: number;
  hostname: string;
  cpu_temp_c: number | null;
  /** Always empty: disks come from `get_disks`. */
  disks: DiskMessage[];
  networks: NetworkMessage[];
  /** Always empty: processes come from `get_processes`. */
  top_processes: never[];
  gpus: GpuMessage[] | null;
  /** Epoch ms when the figures were read (newer agents). */
  sampled_at_ms: number;
}

export function encodeMetrics({ host, sample }: Snapshot): MetricsMessage {
  const memory = sample.memory;
  const gpus = sample.gpus ?? [];
  return {
    cpu_total: sample.cpu?.totalPercent ?? 0,
    cpu_per_core: sample.cpu?.perCorePercent ?? [],
    mem_total: bytes(memory?.totalBytes),
    mem_used: bytes(memory?.usedBytes),
    swap_total: bytes(memory?.swapTotalBytes),
    swap_used: bytes(memory?.swapUsedBytes),
    hostname: host.hostname,
    cpu_temp_c: sample.cpu?.tempC ?? null,
    disks: [],
    networks: (sample.network?.interfaces ?? []).map((net) => ({ name: net.name, received: bytes(net.rxBytes), transmitted: bytes(net.txBytes) })),
    top_processes: [],
    gpus: gpus.length > 0 ? gpus.map((gpu) => encodeGpu(gpu, host)) : null,
    sampled_at_ms: sample.timeMs,
  };
}

function encodeGpu(gpu: GpuSample, host: HostInfo): GpuMessage {
  const usedBytes = optionalBytes(gpu.memoryUsedBytes);
  const totalBytes = optionalBytes(gpu.memoryTotalBytes ?? host.gpus?.find((info) => info.index === gpu.index)?.memoryTotalBytes);
  const utilization = gpu.utilizationPercent ?? null;
  return {
    name: gpu.name ?? host.gpus?.find((info) => info.index === gpu.index)?.name ?? `GPU ${gpu.index}`,
    usage: utilization,
    memory_total: totalBytes,
    memory_used: usedBytes,
    temp_c: gpu.tempC ?? null,
    utilization,
    mem_used: usedBytes,
    mem_total: totalBytes,
  };
}

/**
 * socktop carries only total and available, and every client shows total - available as used. Blocks
 * reserved for root (or held back by the filesystem) are in the size but in neither used nor available,
 * so we send the size a user can fill, used + available: then used and its percent read exactly as df's.
 */
export function encodeDisks(disks: readonly DiskSample[]): DiskMessage[] {
  return disks.map((disk) => {
    const usable = disk.usedBytes !== undefined && disk.availableBytes !== undefined ? disk.usedBytes + disk.availableBytes : disk.totalBytes;
    const message: DiskMessage = { name: disk.name, total: bytes(usable), available: bytes(disk.availableBytes) };
    if (disk.tempC !== undefined) message.temperature = disk.tempC;
    return message;
  });
}

/** Bytes on this wire are unsigned integers (the real client reads u64). */
function bytes(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

function optionalBytes(value: number | undefined): number | null {
  return value === undefined ? null : bytes(value);
}

const finite = z.number().finite();
const count = finite.nonnegative();

/** GPU keys as every known agent generation spells them, in the order the real client prefers them. */
const GPU_ALIASES = {
  utilization: ['utilization', 'usage', 'utilization_gpu_pct', 'gpu_util_pct', 'gpu_utilization'],
  memoryUsed: ['mem_used', 'memory_used', 'mem_used_bytes', 'vram_used_bytes'],
  memoryTotal: ['mem_total', 'memory_total', 'mem_total_bytes', 'vram_total_bytes'],
  temp: ['temp', 'temp_c', 'temperature_c'],
} as const;

const gpuSchema = z.record(z.string(), z.unknown());

const metricsSchema = z.object({
  cpu_total: finite,
  cpu_per_core: z.array(finite),
  mem_total: count.optional(),
  mem_used: count.optional(),
  swap_total: count.nullish(),
  swap_used: count.nullish(),
  hostname: z.string().optional(),
  cpu_temp_c: finite.nullish(),
  networks: z.array(z.object({ name: z.string(), received: count, transmitted: count })).nullish(),
  gpus: z.array(gpuSchema).nullish(),
  sampled_at_ms: count.nullish(),
  process_count: count.nullish(),
});

const diskSchema = z.object({
  name: z.string(),
  total: count,
  available: count,
  temperature: finite.nullish(),
  is_partition: z.boolean().nullish(),
});

/** What a metrics reply says: the host as far as it names it, and one sample with network counters but no rates. */
export interface DecodedMetrics {
  host: HostInfo;
  sample: Sample;
}

/** The JSON of a reply: a text frame, or gzip-compressed JSON in a binary frame (real agents over 768 bytes). */
export function replyJson(data: string | Uint8Array): unknown {
  if (typeof data === 'string') return parseJson(data);
  if (!isGzip(data)) return undefined;
  const plain = gunzipBounded(data);
  if (!plain) return undefined;
  try {
    return parseJson(new TextDecoder('utf-8', { fatal: true }).decode(plain));
  } catch {
    return undefined;
  }
}

export function decodeMetrics(value: unknown, nowMs: number): DecodedMetrics | null {
  const parsed = metricsSchema.safeParse(value);
  if (!parsed.success) return null;
  const message = parsed.data;
  const hostname = message.hostname ?? '';
  const gpus = (message.gpus ?? []).map(decodeGpu);
  const sample: Sample = {
    timeMs: message.sampled_at_ms ?? nowMs,
    cpu: withoutUndefined({ totalPercent: message.cpu_total, perCorePercent: message.cpu_per_core, tempC: message.cpu_temp_c ?? undefined }),
  };
  if (message.mem_total !== undefined && message.mem_used !== undefined) {
    sample.memory = withoutUndefined({
      usedPercent: round1(percentOf(message.mem_used, message.mem_total)),
      totalBytes: message.mem_total,
      usedBytes: message.mem_used,
      swapTotalBytes: message.swap_total ?? undefined,
      swapUsedBytes: message.swap_used ?? undefined,
    });
  }
  if (message.networks) {
    const interfaces: NetworkInterfaceSample[] = message.networks.map((net) => ({ name: net.name, rxBytes: net.received, txBytes: net.transmitted }));
    sample.network = { interfaces };
  }
  if (message.gpus) sample.gpus = gpus;
  if (message.process_count != null) sample.processCount = message.process_count;
  const host: HostInfo = { id: hostname, hostname };
  if (message.mem_total !== undefined) host.memoryTotalBytes = message.mem_total;
  if (gpus.length > 0) host.gpus = gpus.map((gpu) => withoutUndefined({ index: gpu.index, name: gpu.name ?? `GPU ${gpu.index}`, memoryTotalBytes: gpu.memoryTotalBytes }));
  return { host, sample };
}

function decodeGpu(gpu: Record<string, unknown>, index: number): GpuSample {
  return withoutUndefined({
    index,
    name: typeof gpu.name === 'string' ? gpu.name : undefined,
    utilizationPercent: firstNumber(gpu, GPU_ALIASES.utilization),
    memoryUsedBytes: firstNumber(gpu, GPU_ALIASES.memoryUsed),
    memoryTotalBytes: firstNumber(gpu, GPU_ALIASES.memoryTotal),
    tempC: firstNumber(gpu, GPU_ALIASES.temp),
  });
}

function firstNumber(record: Record<string, unknown>, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

export function decodeDisks(value: unknown): DiskSample[] | null {
  const parsed = z.array(diskSchema).safeParse(value);
  if (!parsed.success) return null;
  return parsed.data.map((disk) =>
    withoutUndefined({
      name: disk.name,
      totalBytes: disk.total,
      availableBytes: disk.available,
      usedBytes: Math.max(0, disk.total - disk.available),
      usedPercent: round1(percentOf(disk.total - disk.available, disk.total)),
      tempC: disk.temperature ?? undefined,
    }),
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
