// The process table on Linux, read from /proc without spawning `ps` (which, with systeminformation's
// per-process reads, cost several percent of a core at socktop's cadence). CPU is the share of the whole
// machine between two readings; a process first seen is given its lifetime average instead. /proc is read
// synchronously (proc-reader.ts says why), a slice of processes per turn of the event loop.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProcessSample } from '../../../proto/model';
import { round1 } from '../../../proto/units';
import { parseProcStat } from './proc-parsers';
import { listKernelDir, readKernelFile, readRequiredKernelFile } from './proc-reader';

const PASSWD_TTL_MS = 60_000;
/** Processes read between two yields to the event loop: about 2 ms of reading, however many processes run. */
const PROCESSES_PER_SLICE = 150;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

type ProcessRow = ProcStatLine & { rssBytes: number; uid: number };

export interface ProcStatLine {
  name: string;
  /** utime + stime, in jiffies. */
  cpuJiffies: number;
  /** Jiffies after boot at which the process started. */
  startJiffies: number;
}

/** /proc/<pid>/stat: the name is in parentheses and may itself contain spaces and parentheses. */
export function parsePidStat(text: string): ProcStatLine | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const fields = text.slice(close + 2).split(' ');
  // Fields after the name, numbered from 3 in proc(5): utime 14, stime 15, starttime 22.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const start = Number(fields[19]);
  if (![utime, stime, start].every(Number.isFinite)) return null;
  return { name: text.slice(open + 1, close), cpuJiffies: utime + stime, startJiffies: start };
}

/** Resident memory (VmRSS, absent for kernel threads) and the real uid from /proc/<pid>/status. */
export function parsePidStatus(text: string): { rssBytes: number; uid: number } {
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(text);
  const uid = /^Uid:\s+(\d+)/m.exec(text);
  return { rssBytes: rss ? Number(rss[1]) * 1024 : 0, uid: uid ? Number(uid[1]) : -1 };
}

export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) names.set(Number(uid), name);
  }
  return names;
}

export class LinuxProcessCollector {
  private previous: { totalJiffies: number; perPid: Map<number, number> } | undefined;
  private users: { loadedAt: number; names: Map<number, string> } | undefined;

  constructor(
    private readonly procRoot = '/proc',
    private readonly passwdFile = '/etc/passwd',
    private readonly now: () => number = Date.now,
  ) {}

  async collect(): Promise<ProcessSample[]> {
    const users = await this.userNames();
    const machine = parseProcStat(readRequiredKernelFile(path.join(this.procRoot, 'stat')));
    const cores = Math.max(1, machine.cores.length);
    const totalJiffies = Object.values(machine.total).reduce((sum, value) => sum + value, 0);
    const pids = listKernelDir(this.procRoot)
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);

    const rows: (ProcessRow | null)[] = [];
    for (let start = 0; start < pids.length; start += PROCESSES_PER_SLICE) {
      if (start > 0) await nextTurn();
      for (const pid of pids.slice(start, start + PROCESSES_PER_SLICE)) rows.push(this.readProcess(pid));
    }
    const previous = this.previous;
    const perPid = new Map<number, number>();
    const samples: ProcessSample[] = [];
    // Jiffies since boot per core: what a process alive since boot could have used on one core.
    const uptimeJiffies = totalJiffies / cores;
    rows.forEach((row, index) => {
      if (!row) return;
      const pid = pids[index]!;
      perPid.set(pid, row.cpuJiffies);
      const before = previous?.perPid.get(pid);
      let share: number;
      if (previous && before !== undefined && totalJiffies > previous.totalJiffies) share = ((row.cpuJiffies - before) / (totalJiffies - previous.totalJiffies)) * 100;
      else share = uptimeJiffies > row.startJiffies ? (row.cpuJiffies / (uptimeJiffies - row.startJiffies) / cores) * 100 : 0;
      samples.push({ pid, name: row.name, cpuPercent: round1(Math.min(100, Math.max(0, share))), memoryBytes: row.rssBytes, ...(users.has(row.uid) ? { user: users.get(row.uid)! } : {}) });
    });
    this.previous = { totalJiffies, perPid };
    return samples;
  }

  /** A process may exit between the directory listing and the read: it is then simply not listed. */
  private readProcess(pid: number): ProcessRow | null {
    const dir = path.join(this.procRoot, String(pid));
    const stat = readKernelFile(path.join(dir, 'stat'));
    const parsed = stat === null ? null : parsePidStat(stat);
    if (!parsed) return null;
    const status = readKernelFile(path.join(dir, 'status'));
    return status === null ? null : { ...parsed, ...parsePidStatus(status) };
  }

  private async userNames(): Promise<Map<number, string>> {
    if (this.users && this.now() - this.users.loadedAt < PASSWD_TTL_MS) return this.users.names;
    const names = parsePasswd(await readFile(this.passwdFile, 'utf8').catch(() => ''));
    this.users = { loadedAt: this.now(), names };
    return names;
  }
}
