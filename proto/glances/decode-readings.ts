// Glances' whole-machine plugins (cpu, percpu, mem, memswap, load, fs, uptime) into the model's units. Pure;
// each decoder returns undefined only when the answer is not that plugin's shape at all.

import { z } from 'zod';
import type { DiskSample, MemorySample } from '../model';
import { isSystemMount } from '../mounts';
import { optionalBytes, optionalCount, optionalNumber, optionalPercent, optionalText } from './fields';

const cpuSchema = z.object({ total: optionalPercent, cpucore: optionalCount });

export function decodeCpu(json: unknown): { totalPercent?: number; cores?: number } | undefined {
  const parsed = cpuSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return defined({ totalPercent: parsed.data.total, cores: parsed.data.cpucore });
}

const perCpuSchema = z.array(z.unknown()).max(4096);
const coreSchema = z.object({ cpu_number: z.number().int().min(0).max(4095), total: z.number() });

/** Per-core busy percent in core order; cores without a reading are left out. */
export function decodePerCpu(json: unknown): number[] | undefined {
  const parsed = perCpuSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const cores = parsed.data.flatMap((entry) => {
    const core = coreSchema.safeParse(entry);
    return core.success ? [core.data] : [];
  });
  return cores.sort((a, b) => a.cpu_number - b.cpu_number).map((core) => Math.min(100, Math.max(0, core.total)));
}

const memorySchema = z.object({ total: optionalBytes, available: optionalBytes, percent: optionalPercent });

/** Used is total − available, as `free` reports it, rather than psutil's `used` that Glances also sends. */
export function decodeMemory(json: unknown): Partial<MemorySample> | undefined {
  const parsed = memorySchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { total, available, percent } = parsed.data;
  if (total !== undefined && total > 0 && available !== undefined && available <= total) {
    const usedBytes = total - available;
    return { usedPercent: (usedBytes / total) * 100, totalBytes: total, usedBytes };
  }
  return defined({ usedPercent: percent, totalBytes: total && total > 0 ? total : undefined });
}

const swapSchema = z.object({ total: optionalBytes, used: optionalBytes });

export function decodeSwap(json: unknown): { swapTotalBytes?: number; swapUsedBytes?: number } | undefined {
  const parsed = swapSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { total, used } = parsed.data;
  if (total === undefined) return {};
  return defined({ swapTotalBytes: total, swapUsedBytes: used !== undefined && used <= total ? used : undefined });
}

/** A run queue of a million is no machine's. */
const optionalLoad = z.number().min(0).max(1e6).optional().catch(undefined);
const loadSchema = z.object({ min1: optionalLoad, min5: optionalLoad, min15: optionalLoad, cpucore: optionalCount });

export function decodeLoad(json: unknown): { load?: [number, number, number]; cores?: number } | undefined {
  const parsed = loadSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { min1, min5, min15, cpucore } = parsed.data;
  const load: [number, number, number] | undefined = min1 !== undefined && min5 !== undefined && min15 !== undefined ? [min1, min5, min15] : undefined;
  return defined({ load, cores: cpucore });
}

const filesystemsSchema = z.array(z.unknown()).max(4096);
const filesystemSchema = z.object({
  mnt_point: z.string().min(1).max(4096),
  device_name: optionalText(4096),
  fs_type: optionalText(64),
  size: optionalBytes,
  used: optionalBytes,
  free: optionalBytes,
  percent: optionalPercent,
});

/** Each filesystem once (Glances lists a bind mount as a filesystem of its own, with its device's figures), none of the kernel's own. */
export function decodeFilesystems(json: unknown): DiskSample[] | undefined {
  const parsed = filesystemsSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const devices = new Set<string>();
  return parsed.data.flatMap((entry) => {
    const filesystem = filesystemSchema.safeParse(entry);
    if (!filesystem.success) return [];
    const { mnt_point: mountPoint, device_name: device, fs_type: fsType, size, used, free, percent } = filesystem.data;
    if (isSystemMount(mountPoint)) return [];
    if (device) {
      if (devices.has(device)) return [];
      devices.add(device);
    }
    return [defined<DiskSample>({ name: device || mountPoint, mountPoint, fsType, totalBytes: size, usedBytes: used, availableBytes: free, usedPercent: percent })];
  });
}

const MAX_UPTIME_SEC = 100 * 365 * 86_400;
/** Python's str(timedelta), which Glances sends: "11:15:10", "1 day, 2:03:04", "6 days, 19:58:28". */
const TIMEDELTA_PATTERN = /^(?:(\d{1,6}) days?, )?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

/** Seconds the machine has been up; an answer Glances never gives (an object, a list) is undefined. */
export function decodeUptime(json: unknown): { uptimeSec?: number } | undefined {
  const seconds = optionalNumber.parse(json);
  if (seconds !== undefined) return seconds >= 0 && seconds <= MAX_UPTIME_SEC ? { uptimeSec: Math.floor(seconds) } : {};
  if (typeof json !== 'string') return json === null ? {} : undefined;
  const match = TIMEDELTA_PATTERN.exec(json.trim());
  if (!match) return {};
  const [days, hours, minutes, secs] = match.slice(1, 5).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number];
  return { uptimeSec: days * 86_400 + hours * 3600 + minutes * 60 + secs };
}

/** The record without its undefined fields, so a decoded sample holds only what the server said. */
export function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
