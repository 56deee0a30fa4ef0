// vStats hub (`vstats`): wire types and the pure encoders of the documented form (dashboard envelopes on
// /ws, agent messages on /ws/agent). Decoders live in decode.ts; no I/O here, no wire key leaves proto/vstats.

import type { PastReading } from '../client';
import type { DiskSample, GpuSample, HostInfo, NetworkSample, Sample } from '../model';
import { compactFromSample, type CompactValues } from './compact';
import { round1 } from '../units';

export const DASHBOARD_PATH = '/ws';
export const AGENT_PATH = '/ws/agent';

/** Every message a dashboard receives from a documented hub. */
export interface Envelope<Type extends string, Data> {
  type: Type;
  data: Data;
  /** ISO 8601. */
  timestamp: string;
}

export interface DashboardMetricsData {
  server_id: string;
  metrics: DashboardMetrics;
}

/**
 * The documented keys, plus what the agent reported beyond them (a documented dashboard ignores keys it
 * does not know): per-core CPU, frequency, swap, load, uptime, OS, network counters, GPUs. An extra key is
 * present only when its figure was reported, so a missing figure never reads as zero.
 */
export interface DashboardMetrics {
  /** `usage` in percent (one decimal); `cores` is the logical core count. */
  cpu: { usage: number; cores: number; brand?: string; frequency?: number; per_core?: number[] };
  /** Bytes; `used` is total − available. */
  memory: { total: number; used: number; usage_percent?: number; swap_total?: number; swap_used?: number };
  disks: WireDisk[];
  /** Bytes per second over every interface but loopback (our choice: the documented form leaves the unit open). */
  network: { rx: number; tx: number; total_rx?: number; total_tx?: number; interfaces?: WireInterface[] };
  hostname?: string;
  os?: AgentMetrics['os'];
  /** Seconds. */
  uptime?: number;
  load_average?: AgentMetrics['load_average'];
  gpu?: { gpus: WireGpu[] };
}

export interface StatusData {
  server_id: string;
  online: boolean;
}

export interface ServerAddedData {
  id: string;
  name: string;
  location: string;
}

export interface ServerRemovedData {
  id: string;
}

export type MetricsEnvelope = Envelope<'metrics', DashboardMetricsData>;
export type StatusEnvelope = Envelope<'status', StatusData>;
export type ServerAddedEnvelope = Envelope<'server_added', ServerAddedData>;
export type ServerRemovedEnvelope = Envelope<'server_removed', ServerRemovedData>;
/**
 * Ours, beyond the documented form: readings an agent sent after an outage, relayed at their own times so a
 * dashboard that keeps history can fill the gap. `interval` is what each reading stands for, in seconds;
 * a reading carries the full `metrics` object or, for an aggregate, the real hubs' compact `m`.
 */
export interface HistoryData {
  server_id: string;
  readings: WireHistoryReading[];
}

export interface WireHistoryReading {
  /** ISO 8601. */
  timestamp: string;
  interval: number;
  metrics?: DashboardMetrics;
  m?: { c?: number; m?: number; d?: number; rx?: number; tx?: number; up?: number };
}

export type HistoryEnvelope = Envelope<'history', HistoryData>;
export type DashboardEnvelope = MetricsEnvelope | StatusEnvelope | ServerAddedEnvelope | ServerRemovedEnvelope | HistoryEnvelope;

/** A filesystem. Byte counts; `usage_percent` 0–100. `mount_points` is the real agents' alias of `mount_point`. */
export interface WireDisk {
  name: string;
  mount_point: string;
  mount_points: string[];
  fs_type: string;
  total: number;
  used: number;
  available: number;
  usage_percent: number;
}

/** Cumulative bytes since boot; `rx_bytes`/`tx_bytes` are the real agents' aliases of `rx`/`tx`. */
export interface WireInterface {
  name: string;
  rx: number;
  tx: number;
  rx_bytes: number;
  tx_bytes: number;
}

/** Real agents' GPU entry. Memory in bytes, utilization in percent, temperature in °C, power in watts. */
export interface WireGpu {
  index: number;
  name: string;
  vendor: string;
  memory_total: number;
  memory_used: number;
  utilization: number;
  temperature?: number;
  power_draw?: number;
}

/** What an agent pushes: the documented keys plus the real agents' aliases, so either kind of hub reads it. */
export interface AgentMetrics {
  /** ISO 8601. */
  timestamp: string;
  hostname: string;
  os: { name: string; version: string; kernel: string; arch: string };
  /** `usage` and `per_core` in percent; `frequency` in MHz. */
  cpu: { brand: string; cores: number; usage: number; frequency: number; per_core: number[] };
  /** Bytes, except `usage_percent`. */
  memory: { total: number; used: number; available: number; swap_total: number; swap_used: number; usage_percent: number };
  disks: WireDisk[];
  /** `total_*` cumulative bytes over every interface but loopback; `*_speed` bytes per second. */
  network: { interfaces: WireInterface[]; total_rx: number; total_tx: number; rx_speed: number; tx_speed: number };
  /** Seconds. */
  uptime: number;
  load_average: { one: number; five: number; fifteen: number };
  gpu?: { gpus: WireGpu[] };
}

/** The real agents' first message; documented agents use `?token=` instead. */
export interface AgentAuthMessage {
  type: 'auth';
  server_id: string;
  token: string;
  version: string;
}

export interface AuthReplyMessage {
  type: 'auth';
  status: 'ok' | 'error';
  message?: string;
  /** ISO 8601: the newest reading the hub has of this server id, so the agent backfills only what is newer. */
  last_seen?: string;
  /** Per granularity (`5sec`, `2min`, …), the newest bucket number the hub has: real agents resume each after it. */
  last_buckets?: Record<string, number>;
}

/** The granularities real agents aggregate into, by their interval in seconds. */
const GRANULARITY_NAMES: Readonly<Record<number, string>> = { 5: '5sec', 120: '2min', 900: '15min', 3600: 'hourly', 86400: 'daily' };
/** Every span a backfilled reading can have: one second (a batch report) and each granularity. */
export const BACKFILL_SPANS_MS: readonly number[] = [1000, ...Object.keys(GRANULARITY_NAMES).map((seconds) => Number(seconds) * 1000)];

/** The answer to an agent's `batch_metrics`: how many of its reports were taken. */
export interface BatchAckMessage {
  type: 'batch_ack';
  batch_id: string | number;
  accepted: number;
  rejected: number;
}

/** Real agents' backfill of one report per second while the hub was unreachable, each wrapped with its time. */
export interface BatchMetricsMessage {
  type: 'batch_metrics';
  batch_id: string;
  metrics: { timestamp: string; metrics: AgentMetrics }[];
}

/**
 * Documented hubs read `data`, real hubs read `metrics`: the same object goes under both keys.
 */
export interface AgentMetricsMessage {
  type: 'metrics';
  data: AgentMetrics;
  metrics: AgentMetrics;
}

export interface HeartbeatMessage {
  type: 'heartbeat';
  /** ISO 8601. */
  timestamp: string;
}

export function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

export function encodeServerAdded(server: ServerAddedData, timeMs: number): ServerAddedEnvelope {
  return { type: 'server_added', data: { id: server.id, name: server.name, location: server.location }, timestamp: isoTime(timeMs) };
}

export function encodeStatus(serverId: string, online: boolean, timeMs: number): StatusEnvelope {
  return { type: 'status', data: { server_id: serverId, online }, timestamp: isoTime(timeMs) };
}

export function encodeServerRemoved(serverId: string, timeMs: number): ServerRemovedEnvelope {
  return { type: 'server_removed', data: { id: serverId }, timestamp: isoTime(timeMs) };
}

/** The dashboard `metrics` envelope of one server's sample: the documented keys and the extras; `host` supplies the core count and static facts. */
export function encodeMetrics(serverId: string, sample: Sample, host?: HostInfo): MetricsEnvelope {
  const memory = sample.memory;
  const totalBytes = unsigned(memory?.totalBytes ?? host?.memoryTotalBytes);
  const cpu = sample.cpu;
  const network = sample.network;
  const metrics: DashboardMetrics = {
    cpu: { usage: round1(cpu?.totalPercent ?? 0), cores: host?.cpu?.cores ?? cpu?.perCorePercent?.length ?? 0 },
    memory: { total: totalBytes, used: unsigned(memory?.usedBytes ?? ((memory?.usedPercent ?? 0) * totalBytes) / 100) },
    disks: (sample.disks ?? []).map(encodeDisk),
    network: { rx: unsigned(network?.rxBytesPerSec), tx: unsigned(network?.txBytesPerSec) },
  };
  if (host?.cpu?.model) metrics.cpu.brand = host.cpu.model;
  if (cpu?.frequencyMhz !== undefined) metrics.cpu.frequency = Math.round(cpu.frequencyMhz);
  if (cpu?.perCorePercent && cpu.perCorePercent.length > 0) metrics.cpu.per_core = cpu.perCorePercent.map(round1);
  if (memory) metrics.memory.usage_percent = round1(memory.usedPercent);
  if (memory?.swapTotalBytes !== undefined) metrics.memory.swap_total = unsigned(memory.swapTotalBytes);
  if (memory?.swapUsedBytes !== undefined) metrics.memory.swap_used = unsigned(memory.swapUsedBytes);
  if (network?.rxTotalBytes !== undefined) metrics.network.total_rx = unsigned(network.rxTotalBytes);
  if (network?.txTotalBytes !== undefined) metrics.network.total_tx = unsigned(network.txTotalBytes);
  if (network?.interfaces && network.interfaces.length > 0) metrics.network.interfaces = network.interfaces.map(encodeInterface);
  if (host?.hostname) metrics.hostname = host.hostname;
  if (host?.os) metrics.os = encodeOs(host);
  if (sample.uptimeSec !== undefined) metrics.uptime = unsigned(sample.uptimeSec);
  if (cpu?.load) metrics.load_average = { one: cpu.load[0], five: cpu.load[1], fifteen: cpu.load[2] };
  if (host && sample.gpus && sample.gpus.length > 0) metrics.gpu = { gpus: sample.gpus.map((gpu) => encodeGpu(gpu, host)) };
  return { type: 'metrics', data: { server_id: serverId, metrics }, timestamp: isoTime(sample.timeMs) };
}

/**
 * A reading goes whole; an aggregate (percents only, its disk as one overall percent, for which the full
 * form has no key) goes compact.
 */
export function encodeHistory(serverId: string, readings: readonly PastReading[], timeMs: number): HistoryEnvelope {
  return {
    type: 'history',
    data: {
      server_id: serverId,
      readings: readings.map(({ sample, spanMs }) => {
        const reading: WireHistoryReading = { timestamp: isoTime(sample.timeMs), interval: spanMs / 1000 };
        if (sample.diskUsedPercent === undefined) reading.metrics = encodeMetrics(serverId, sample).data.metrics;
        else reading.m = compactWire(compactFromSample(sample));
        return reading;
      }),
    },
    timestamp: isoTime(timeMs),
  };
}

function compactWire(values: CompactValues): NonNullable<WireHistoryReading['m']> {
  const m: NonNullable<WireHistoryReading['m']> = {};
  if (values.cpuPercent !== undefined) m.c = values.cpuPercent;
  if (values.memoryPercent !== undefined) m.m = values.memoryPercent;
  if (values.diskPercent !== undefined) m.d = values.diskPercent;
  if (values.rxBytesPerSec !== undefined) m.rx = values.rxBytesPerSec;
  if (values.txBytesPerSec !== undefined) m.tx = values.txBytesPerSec;
  if (values.uptimeSec !== undefined) m.up = values.uptimeSec;
  return m;
}

export function encodeAgentAuth(serverId: string, token: string, version: string): AgentAuthMessage {
  return { type: 'auth', server_id: serverId, token, version };
}

/** `lastBuckets`: per reading span in ms, the start of the newest bucket held (spans that are no granularity are left out). */
export function encodeAuthReply(ok: boolean, message?: string, lastSeenMs?: number, lastBuckets?: ReadonlyMap<number, number>): AuthReplyMessage {
  const reply: AuthReplyMessage = { type: 'auth', status: ok ? 'ok' : 'error' };
  if (message !== undefined) reply.message = message;
  // Real hubs send it to the second.
  if (lastSeenMs !== undefined) reply.last_seen = isoTime(Math.floor(lastSeenMs / 1000) * 1000).replace('.000Z', 'Z');
  const buckets: Record<string, number> = {};
  for (const [spanMs, startMs] of lastBuckets ?? []) {
    const name = GRANULARITY_NAMES[spanMs / 1000];
    if (name) buckets[name] = Math.floor(startMs / spanMs);
  }
  if (Object.keys(buckets).length > 0) reply.last_buckets = buckets;
  return reply;
}

export function encodeBatchAck(batchId: string | number, accepted: number, rejected: number): BatchAckMessage {
  return { type: 'batch_ack', batch_id: batchId, accepted, rejected };
}

export function encodeBatchMetrics(batchId: string, reports: AgentMetrics[]): BatchMetricsMessage {
  return { type: 'batch_metrics', batch_id: batchId, metrics: reports.map((report) => ({ timestamp: report.timestamp, metrics: report })) };
}

export function encodeHeartbeat(timeMs: number): HeartbeatMessage {
  return { type: 'heartbeat', timestamp: isoTime(timeMs) };
}

export function encodeAgentMetrics(host: HostInfo, sample: Sample): AgentMetricsMessage {
  const metrics = encodeAgentReport(host, sample);
  return { type: 'metrics', data: metrics, metrics };
}

/** One reading as an agent reports it: the body of `metrics`, and each entry of `batch_metrics`. */
export function encodeAgentReport(host: HostInfo, sample: Sample): AgentMetrics {
  const memory = sample.memory;
  const totalBytes = unsigned(memory?.totalBytes ?? host.memoryTotalBytes);
  const usedBytes = unsigned(memory?.usedBytes ?? ((memory?.usedPercent ?? 0) * totalBytes) / 100);
  const network = sample.network;
  const [one, five, fifteen] = sample.cpu?.load ?? [0, 0, 0];
  const metrics: AgentMetrics = {
    timestamp: isoTime(sample.timeMs),
    hostname: host.hostname,
    os: encodeOs(host),
    cpu: {
      brand: host.cpu?.model ?? 'Unknown',
      cores: host.cpu?.cores ?? sample.cpu?.perCorePercent?.length ?? 0,
      usage: round1(sample.cpu?.totalPercent ?? 0),
      frequency: Math.round(sample.cpu?.frequencyMhz ?? 0),
      per_core: (sample.cpu?.perCorePercent ?? []).map(round1),
    },
    memory: {
      total: totalBytes,
      used: usedBytes,
      available: Math.max(0, totalBytes - usedBytes),
      swap_total: unsigned(memory?.swapTotalBytes),
      swap_used: unsigned(memory?.swapUsedBytes),
      usage_percent: round1(memory?.usedPercent ?? 0),
    },
    disks: (sample.disks ?? []).map(encodeDisk),
    network: {
      interfaces: (network?.interfaces ?? []).map(encodeInterface),
      total_rx: unsigned(network?.rxTotalBytes),
      total_tx: unsigned(network?.txTotalBytes),
      rx_speed: unsigned(network?.rxBytesPerSec),
      tx_speed: unsigned(network?.txBytesPerSec),
    },
    uptime: unsigned(sample.uptimeSec),
    load_average: { one, five, fifteen },
  };
  if (sample.gpus && sample.gpus.length > 0) metrics.gpu = { gpus: sample.gpus.map((gpu) => encodeGpu(gpu, host)) };
  return metrics;
}

function encodeOs(host: HostInfo): AgentMetrics['os'] {
  return { name: host.os?.name ?? '', version: host.os?.version ?? '', kernel: host.os?.kernel ?? '', arch: host.os?.arch ?? '' };
}

function encodeInterface(net: NonNullable<NetworkSample['interfaces']>[number]): WireInterface {
  const rx = unsigned(net.rxBytes);
  const tx = unsigned(net.txBytes);
  return { name: net.name, rx, tx, rx_bytes: rx, tx_bytes: tx };
}

function encodeDisk(disk: DiskSample): WireDisk {
  const total = unsigned(disk.totalBytes);
  const used = unsigned(disk.usedBytes);
  const mountPoint = disk.mountPoint ?? '';
  return {
    name: disk.name,
    mount_point: mountPoint,
    mount_points: mountPoint ? [mountPoint] : [],
    fs_type: disk.fsType ?? '',
    total,
    used,
    available: unsigned(disk.availableBytes ?? total - used),
    usage_percent: round1(disk.usedPercent ?? (total > 0 ? (used / total) * 100 : 0)),
  };
}

function encodeGpu(gpu: GpuSample, host: HostInfo): WireGpu {
  const info = host.gpus?.find((candidate) => candidate.index === gpu.index);
  const wire: WireGpu = {
    index: gpu.index,
    name: gpu.name ?? info?.name ?? `GPU ${gpu.index}`,
    vendor: info?.vendor ?? '',
    memory_total: unsigned(gpu.memoryTotalBytes ?? info?.memoryTotalBytes),
    memory_used: unsigned(gpu.memoryUsedBytes),
    utilization: round1(gpu.utilizationPercent ?? 0),
  };
  // Real hubs read `temperature` as an integer and `power_draw` as optional.
  if (gpu.tempC !== undefined) wire.temperature = Math.round(gpu.tempC);
  if (gpu.powerWatts !== undefined) wire.power_draw = round1(gpu.powerWatts);
  return wire;
}

/** Non-negative whole number, as the real hub's unsigned integer fields require. */
function unsigned(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}
