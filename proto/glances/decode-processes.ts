// Glances' `processlist` plugin into the busiest processes. Pure.

import { z } from 'zod';
import type { ProcessSample } from '../model';
import { optionalBytes, optionalText } from './fields';
import { defined } from './decode-readings';

/** How many processes a sample carries, the busiest first. */
export const MAX_PROCESSES = 50;
const MAX_LISTED = 65_536;

const processSchema = z.object({
  pid: z.number().int().min(0).max(2 ** 32),
  name: z.string().max(1024),
  cpu_percent: z.number().min(0).max(1e6).optional().catch(undefined),
  // v3 sends psutil's memory tuple as a list (rss first), v4 as an object.
  memory_info: z.union([z.array(z.unknown()).min(1), z.object({ rss: z.unknown() })]).optional().catch(undefined),
  username: optionalText(256),
  cmdline: z.array(z.string().max(32_768)).max(4096).optional().catch(undefined),
});

type ProcessAnswer = z.infer<typeof processSchema>;

function residentBytes(memoryInfo: ProcessAnswer['memory_info']): number {
  const rss = Array.isArray(memoryInfo) ? memoryInfo[0] : memoryInfo?.rss;
  return optionalBytes.parse(rss) ?? 0;
}

/**
 * The busiest processes, and how many Glances listed. Glances counts CPU per core, as top does (a process
 * using two cores whole reads 200 %); the model wants a share of the whole machine, so it is divided by the
 * core count.
 */
export function decodeProcesses(json: unknown, cores: number): { processes: ProcessSample[]; processCount: number } | undefined {
  if (!Array.isArray(json) || json.length > MAX_LISTED) return undefined;
  const machineCores = Math.max(1, cores);
  const processes = json.flatMap((entry): ProcessSample[] => {
    const parsed = processSchema.safeParse(entry);
    if (!parsed.success) return [];
    const { pid, name, cpu_percent: cpuPercent, memory_info: memoryInfo, username, cmdline } = parsed.data;
    const command = cmdline && cmdline.length > 0 ? cmdline.join(' ') : undefined;
    return [
      defined<ProcessSample>({
        pid,
        name,
        cpuPercent: Math.min(100, (cpuPercent ?? 0) / machineCores),
        memoryBytes: residentBytes(memoryInfo),
        user: username || undefined,
        command,
      }),
    ];
  });
  processes.sort((a, b) => b.cpuPercent - a.cpuPercent || a.pid - b.pid);
  return { processes: processes.slice(0, MAX_PROCESSES), processCount: processes.length };
}
