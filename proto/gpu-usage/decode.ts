// GPU usage stream (`subscribe`): decoding a server's frames (wire.ts has the types and the encoder).

import { z } from 'zod';
import type { HostInfo, Sample } from '../model';
import { mibToBytes, parseJson, percentOf } from '../units';

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
