// GPU usage stream (`subscribe`): wire types and the encoder servers use. Memory is in MiB on the wire
// ("mb"), timestamps in epoch seconds; GPU keys describe GPU 0 and are omitted when there is no GPU.
// Decoding, with its schemas, is in decode.ts: a server never loads zod for a protocol nobody reads.

import type { HostInfo, Sample } from '../model';
import { bytesToMib as toMib, msToSeconds as toSeconds, round1 } from '../units';

export const SUBSCRIBE_MESSAGE = 'subscribe:usage';

export interface SubscribedMessage {
  status: 'subscribed';
}

export interface SystemInfoMessage {
  type: 'system_info';
  cpu_count: number;
  cpu_model: string;
  ram_total_mb: number;
  gpu_count: number;
  gpus: { index: number; name: string; memory_mb: number }[];
  hostname: string;
  /** Epoch seconds. */
  timestamp: number;
}

export interface UsageUpdateMessage {
  type: 'usage_update';
  /** One decimal. */
  cpu_percent: number;
  /** One decimal. */
  ram_percent: number;
  ram_used_mb: number;
  ram_total_mb: number;
  /** Whole percent, GPU 0. */
  gpu_percent?: number;
  gpu_mem_used_mb?: number;
  gpu_mem_total_mb?: number;
  /** Epoch seconds. */
  timestamp: number;
}

export type GpuUsageMessage = SubscribedMessage | SystemInfoMessage | UsageUpdateMessage;

export function encodeSubscribed(): SubscribedMessage {
  return { status: 'subscribed' };
}

export function encodeSystemInfo(host: HostInfo, timeMs: number): SystemInfoMessage {
  const gpus = host.gpus ?? [];
  return {
    type: 'system_info',
    cpu_count: host.cpu?.cores ?? 0,
    cpu_model: host.cpu?.model ?? 'Unknown',
    ram_total_mb: toMib(host.memoryTotalBytes ?? 0),
    gpu_count: gpus.length,
    gpus: gpus.map((gpu) => ({ index: gpu.index, name: gpu.name, memory_mb: toMib(gpu.memoryTotalBytes ?? 0) })),
    hostname: host.hostname,
    timestamp: toSeconds(timeMs),
  };
}

export function encodeUsageUpdate(sample: Sample): UsageUpdateMessage {
  const memory = sample.memory;
  const message: UsageUpdateMessage = {
    type: 'usage_update',
    cpu_percent: round1(sample.cpu?.totalPercent ?? 0),
    ram_percent: round1(memory?.usedPercent ?? 0),
    ram_used_mb: toMib(memory?.usedBytes ?? 0),
    ram_total_mb: toMib(memory?.totalBytes ?? 0),
    timestamp: toSeconds(sample.timeMs),
  };
  const gpu = sample.gpus?.find((candidate) => candidate.index === 0) ?? sample.gpus?.[0];
  if (gpu) {
    message.gpu_percent = Math.round(gpu.utilizationPercent ?? 0);
    message.gpu_mem_used_mb = toMib(gpu.memoryUsedBytes ?? 0);
    message.gpu_mem_total_mb = toMib(gpu.memoryTotalBytes ?? 0);
  }
  return message;
}
