// One process in detail, read from /proc on request (Linux only). CPU share is measured over a short window
// against the whole machine's jiffies; it never spawns a program and reads only the asked-for pid.

import { readFile } from 'node:fs/promises';
import type { ProcessDetails } from '../../proto/model';

/** USER_HZ, the unit of /proc tick counts: 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
export const CPU_WINDOW_MS = 200;

const STATES: Record<string, string> = {
  R: 'Running',
  S: 'Sleeping',
  D: 'Disk sleep',
  Z: 'Zombie',
  T: 'Stopped',
  t: 'Tracing',
  X: 'Dead',
  I: 'Idle',
  P: 'Parked',
  W: 'Waking',
  K: 'Wakekill',
};

/** Thrown for problems a client should read as they are ("no such process"). */
export class ProcessDetailsError extends Error {}

export interface ProcessDetailsOptions {
  procRoot?: string;
  platform?: NodeJS.Platform;
  cpuWindowMs?: number;
  now?: () => number;
}

export async function collectProcessDetails(pid: number, options: ProcessDetailsOptions = {}): Promise<ProcessDetails> {
  const { procRoot = '/proc', platform = process.platform, cpuWindowMs = CPU_WINDOW_MS, now = Date.now } = options;
  if (platform !== 'linux') throw new ProcessDetailsError(`process details are only available from an agent on Linux (this one runs on ${platform})`);
  if (!Number.isSafeInteger(pid) || pid <= 0) throw new ProcessDetailsError(`invalid pid ${pid}: expected a positive integer`);
  const dir = `${procRoot}/${pid}`;
  const read = (file: string): Promise<string> =>
    readFile(`${dir}/${file}`, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ESRCH') throw new ProcessDetailsError(`no process with pid ${pid}`);
      if (error.code === 'EACCES' || error.code === 'EPERM') throw new ProcessDetailsError(`not allowed to read process ${pid}`);
      throw error;
    });

  const [statBefore, machineBefore] = await Promise.all([read('stat'), readFile(`${procRoot}/stat`, 'utf8')]);
  await new Promise((resolve) => setTimeout(resolve, cpuWindowMs));
  const [statAfter, machineAfter, status, cmdline] = await Promise.all([read('stat'), readFile(`${procRoot}/stat`, 'utf8'), read('status'), read('cmdline')]);

  const before = parseStat(statBefore);
  const after = parseStat(statAfter);
  const machineTicks = totalTicks(machineAfter) - totalTicks(machineBefore);
  const processTicks = after.userTicks + after.systemTicks - (before.userTicks + before.systemTicks);
  const fields = parseStatus(status);
  const bootSeconds = Number(/^btime\s+(\d+)/m.exec(machineAfter)?.[1] ?? 0);
  const name = fields.get('Name') ?? after.name;
  const command = cmdline.split('\0').filter(Boolean).join(' ');
  const details: ProcessDetails = {
    pid,
    name,
    command: command || name,
    cpuPercent: machineTicks > 0 ? Math.round(Math.min(100, (processTicks / machineTicks) * 100) * 10) / 10 : 0,
    memoryBytes: kibibytes(fields.get('VmRSS')),
    virtualMemoryBytes: after.virtualBytes,
    threadCount: Number(fields.get('Threads') ?? after.threads) || 0,
    status: STATES[after.state] ?? 'Unknown',
    userId: firstNumber(fields.get('Uid')),
    groupId: firstNumber(fields.get('Gid')),
    startTimeMs: (bootSeconds + after.startTicks / TICKS_PER_SECOND) * 1000,
    cpuUserMs: (after.userTicks * 1000) / TICKS_PER_SECOND,
    cpuSystemMs: (after.systemTicks * 1000) / TICKS_PER_SECOND,
    timeMs: now(),
  };
  if (after.parentPid > 0) details.parentPid = after.parentPid;
  return details;
}

interface Stat {
  name: string;
  state: string;
  parentPid: number;
  userTicks: number;
  systemTicks: number;
  threads: number;
  startTicks: number;
  virtualBytes: number;
}

/** `/proc/<pid>/stat`; the name sits in parentheses and may itself contain spaces and parentheses. */
export function parseStat(text: string): Stat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  const rest = text.slice(close + 2).trim().split(/\s+/);
  // Index 0 is field 3 (state) of proc(5).
  const field = (number: number): number => Number(rest[number - 3] ?? 0) || 0;
  return {
    name: text.slice(open + 1, close),
    state: rest[0] ?? '?',
    parentPid: field(4),
    userTicks: field(14),
    systemTicks: field(15),
    threads: field(20),
    startTicks: field(22),
    virtualBytes: field(23),
  };
}

/** All CPUs' ticks from `/proc/stat`: user to steal; guest time is already counted in user. */
function totalTicks(machineStat: string): number {
  const line = /^cpu\s+(.*)$/m.exec(machineStat)?.[1] ?? '';
  return line
    .trim()
    .split(/\s+/)
    .slice(0, 8)
    .reduce((total, value) => total + (Number(value) || 0), 0);
}

function parseStatus(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return fields;
}

/** `VmRSS:  1234 kB` (absent for kernel threads). */
function kibibytes(value: string | undefined): number {
  return (Number(value?.split(/\s+/)[0]) || 0) * 1024;
}

function firstNumber(value: string | undefined): number {
  return Number(value?.split(/\s+/)[0]) || 0;
}
