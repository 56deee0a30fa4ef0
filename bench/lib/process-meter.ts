// Measures a process from outside, the way `top` does: CPU from /proc/<pid>/stat tick deltas (its own and
// that of the children it has reaped: a spawned `ps` or `nvidia-smi` is the agent's cost too), resident
// memory from /proc/<pid>/status. Linux only, like the machines the figures come from.

import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;

export interface CpuReading {
  cpuSeconds: number;
  atMs: number;
}

export function readCpu(pid: number): CpuReading {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [userTicks, systemTicks, childUserTicks, childSystemTicks] = fields.slice(11, 15).map(Number) as [number, number, number, number];
  return { cpuSeconds: (userTicks + systemTicks + childUserTicks + childSystemTicks) / CLOCK_TICKS_PER_SECOND, atMs: performance.now() };
}

/** Percent of one core used between two readings. */
export function cpuPercentBetween(start: CpuReading, end: CpuReading): number {
  const wallSeconds = (end.atMs - start.atMs) / 1000;
  return wallSeconds > 0 ? ((end.cpuSeconds - start.cpuSeconds) / wallSeconds) * 100 : 0;
}

export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** CPU % of one core over a window, sampling RSS at the end. */
export async function measureWindow(pid: number, windowMs: number): Promise<{ cpuPercent: number; rssBytes: number }> {
  const start = readCpu(pid);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  return { cpuPercent: cpuPercentBetween(start, readCpu(pid)), rssBytes: readRssBytes(pid) };
}
