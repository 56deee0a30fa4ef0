// The on-demand collectors: filesystems (spawns `df`) and the process table (spawns `ps`, reads
// /proc per process, ~70 ms). Only a client that asks for them makes them run.

import os from 'node:os';
import si from 'systeminformation';
import type { DiskSample, ProcessSample } from '../../proto/model';
import { round1 } from '../../proto/units';

const PSEUDO_FILESYSTEMS = new Set(['tmpfs', 'devtmpfs', 'squashfs', 'ramfs', 'overlay', 'efivarfs', 'proc', 'sysfs']);

export async function collectDisks(): Promise<DiskSample[]> {
  const filesystems = await si.fsSize();
  const seen = new Set<string>();
  const disks: DiskSample[] = [];
  for (const fs of filesystems) {
    if (PSEUDO_FILESYSTEMS.has(fs.type) || fs.size <= 0 || seen.has(fs.fs)) continue;
    seen.add(fs.fs);
    disks.push({
      name: fs.fs,
      mountPoint: fs.mount,
      fsType: fs.type,
      totalBytes: fs.size,
      usedBytes: fs.used,
      availableBytes: fs.available,
      usedPercent: round1(fs.use),
    });
  }
  return disks;
}

/**
 * A process's CPU as a share of the whole machine. systeminformation already divides by every core on Linux
 * and Windows; elsewhere (macOS, the BSDs) it passes on `ps -o pcpu`, where one busy core is 100 %.
 */
export function wholeMachineCpuPercent(reported: number, platform: NodeJS.Platform, cores: number): number {
  const share = platform === 'linux' || platform === 'win32' ? reported : reported / Math.max(1, cores);
  return round1(Math.min(100, Math.max(0, share)));
}

/** Every process; `cpuPercent` is a share of the whole machine. */
export async function collectProcesses(): Promise<ProcessSample[]> {
  const table = await si.processes();
  const cores = os.availableParallelism();
  return table.list.map((row) => ({
    pid: row.pid,
    name: row.name,
    cpuPercent: wholeMachineCpuPercent(row.cpu, process.platform, cores),
    memoryBytes: row.memRss * 1024,
    user: row.user,
    command: row.params ? `${row.command} ${row.params}` : row.command,
  }));
}
