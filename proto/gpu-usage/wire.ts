// GPU usage stream (`subscribe`): wire types and a pure codec. Memory is in MiB on the wire ("mb"),
// timestamps in epoch seconds; GPU keys describe GPU 0 and are omitted when there is no GPU.

import { z } from 'zod';
import type { HostInfo, Sample } from '../model';
import { bytesToMib as toMib, mibToBytes, msToSeconds as toSeconds, parseJson, percentOf, round1 } from '../units';

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

const finite = z.number().finite();

const subscribedSchema = z.object({ status: z.literal('subscribed') });

const systemInfoSchema = z.object({
  type: z.literal('system_info'),
  cpu_count: finite.optional(),
  cpu_model: z.string().optional(),
  ram_total_mb: finite.optional(),
  gpu_count: finite.optional(),
  gpus: z.array(z.object({ index: finite, name: z.string(), memory_mb: finite.optional() })).optional(),
  hostname: z.string().optional(),
  timestamp: finite.optional(),
});

const usageUpdateSchema = z.object({
  type: z.literal('usage_update'),
  cpu_percent: finite,
  ram_percent: finite.optional(),
  ram_used_mb: finite.optional(),
  ram_total_mb: finite.optional(),
  gpu_percent: finite.nullish(),
  // One client of the newer server generation reads `gpu` as an alias of `gpu_percent`.
  gpu: finite.nullish(),
  gpu_mem_used_mb: finite.nullish(),
  gpu_mem_total_mb: finite.nullish(),
  timestamp: finite.optional(),
});

export type DecodedGpuUsage =
  | { kind: 'subscribed' }
  | { kind: 'system_info'; host: HostInfo; timeMs?: number }
  | { kind: 'usage_update'; sample: Sample };

/**
 * Decodes one text frame; returns null for anything that is not a message of this protocol. The message's
 * `type` (or the subscription reply's `status`) picks the one schema to check, as a failed zod parse costs
 * far more than a passed one and this runs for every frame of every server.
 */
export function decodeGpuUsage(text: string, nowMs: number): DecodedGpuUsage | null {
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null) return null;
  switch ((parsed as { type?: unknown }).type) {
    case 'usage_update': {
      const update = usageUpdateSchema.safeParse(parsed);
      return update.success ? { kind: 'usage_update', sample: toSample(update.data, nowMs) } : null;
    }
    case 'system_info': {
      const info = systemInfoSchema.safeParse(parsed);
      return info.success ? { kind: 'system_info', host: toHostInfo(info.data), timeMs: secondsToMs(info.data.timestamp) } : null;
    }
    default:
      return subscribedSchema.safeParse(parsed).success ? { kind: 'subscribed' } : null;
  }
}

function toHostInfo(message: z.infer<typeof systemInfoSchema>): HostInfo {
  const hostname = message.hostname ?? '';
  return {
    id: hostname,
    hostname,
    cpu: { model: message.cpu_model ?? 'Unknown', cores: message.cpu_count ?? 0 },
    memoryTotalBytes: message.ram_total_mb === undefined ? undefined : mibToBytes(message.ram_total_mb),
    gpus: (message.gpus ?? []).map((gpu) => ({
      index: gpu.index,
      name: gpu.name,
      memoryTotalBytes: gpu.memory_mb === undefined ? undefined : mibToBytes(gpu.memory_mb),
    })),
  };
}

function toSample(message: z.infer<typeof usageUpdateSchema>, nowMs: number): Sample {
  const totalBytes = message.ram_total_mb === undefined ? undefined : mibToBytes(message.ram_total_mb);
  const usedBytes = message.ram_used_mb === undefined ? undefined : mibToBytes(message.ram_used_mb);
  const usedPercent = message.ram_percent ?? (totalBytes && usedBytes !== undefined ? percentOf(usedBytes, totalBytes) : 0);
  const sample: Sample = {
    timeMs: secondsToMs(message.timestamp) ?? nowMs,
    cpu: { totalPercent: message.cpu_percent },
    memory: { usedPercent, totalBytes, usedBytes },
  };
  const utilization = message.gpu_percent ?? message.gpu ?? undefined;
  if (utilization !== undefined || message.gpu_mem_used_mb != null) {
    sample.gpus = [
      {
        index: 0,
        utilizationPercent: utilization,
        memoryUsedBytes: message.gpu_mem_used_mb == null ? undefined : mibToBytes(message.gpu_mem_used_mb),
        memoryTotalBytes: message.gpu_mem_total_mb == null ? undefined : mibToBytes(message.gpu_mem_total_mb),
      },
    ];
  }
  return sample;
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
