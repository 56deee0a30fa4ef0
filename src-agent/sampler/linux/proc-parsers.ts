// Pure parsers for the Linux /proc files the sampler reads on its fast path. systeminformation reads the
// same files by spawning `cat` (synchronously for /proc/stat), which costs milliseconds and blocks the
// event loop; reading them directly costs microseconds.

import type { CpuTimesSec, MemorySample } from '../../../proto/model';

/** /proc/stat reports jiffies of USER_HZ, which Linux fixes at 100 for user space. */
const USER_HZ = 100;
const KIB = 1024;

export interface CpuJiffies {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
}

export interface ProcStat {
  total: CpuJiffies;
  cores: CpuJiffies[];
}

function jiffies(fields: string[]): CpuJiffies {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields.map(Number);
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

export function parseProcStat(text: string): ProcStat {
  let total: CpuJiffies | undefined;
  const cores: CpuJiffies[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...fields] = line.trim().split(/\s+/);
    if (name === 'cpu') total = jiffies(fields);
    else cores[Number(name!.slice(3))] = jiffies(fields);
  }
  if (!total) throw new Error('/proc/stat has no cpu line');
  return { total, cores };
}

const busy = (times: CpuJiffies): number => times.user + times.nice + times.system + times.irq + times.softirq + times.steal;
const all = (times: CpuJiffies): number => busy(times) + times.idle + times.iowait;

/** Busy share between two readings, 0–100; since boot when there is no earlier reading. */
export function busyPercent(previous: CpuJiffies | undefined, current: CpuJiffies): number {
  const elapsed = all(current) - (previous ? all(previous) : 0);
  if (elapsed <= 0) return 0;
  const percent = ((busy(current) - (previous ? busy(previous) : 0)) / elapsed) * 100;
  return Math.min(100, Math.max(0, percent));
}

export function toTimesSec(times: CpuJiffies): CpuTimesSec {
  return {
    user: times.user / USER_HZ,
    nice: times.nice / USER_HZ,
    system: times.system / USER_HZ,
    idle: (times.idle + times.iowait) / USER_HZ,
    irq: (times.irq + times.softirq) / USER_HZ,
  };
}

/** `used` as `free` reports it: total − available (what applications hold, not the page cache). */
export function parseMeminfo(text: string): MemorySample {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)(?: kB)?$/.exec(line.trim());
    if (match) fields.set(match[1]!, Number(match[2]) * KIB);
  }
  const totalBytes = fields.get('MemTotal');
  if (totalBytes === undefined) throw new Error('/proc/meminfo has no MemTotal');
  const availableBytes = fields.get('MemAvailable') ?? (fields.get('MemFree') ?? 0) + (fields.get('Buffers') ?? 0) + (fields.get('Cached') ?? 0);
  const usedBytes = Math.max(0, totalBytes - availableBytes);
  const swapTotalBytes = fields.get('SwapTotal') ?? 0;
  return {
    usedPercent: totalBytes > 0 ? Math.round((usedBytes / totalBytes) * 1000) / 10 : 0,
    totalBytes,
    usedBytes,
    swapTotalBytes,
    swapUsedBytes: Math.max(0, swapTotalBytes - (fields.get('SwapFree') ?? swapTotalBytes)),
  };
}

export interface InterfaceCounters {
  name: string;
  rxBytes: number;
  txBytes: number;
}

export function parseNetDev(text: string): InterfaceCounters[] {
  const interfaces: InterfaceCounters[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (fields.length < 9) continue;
    interfaces.push({ name: line.slice(0, colon).trim(), rxBytes: fields[0]!, txBytes: fields[8]! });
  }
  return interfaces;
}

export interface Mount {
  device: string;
  mountPoint: string;
  fsType: string;
}

/** /proc/self/mounts escapes spaces and a few other bytes as octal (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMounts(text: string): Mount[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((fields) => fields.length >= 3)
    .map(([device, mountPoint, fsType]) => ({ device: unescapeMountField(device!), mountPoint: unescapeMountField(mountPoint!), fsType: fsType! }));
}

/** os-release's KEY=value lines, quotes removed (os-release(5)). */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const value = match[2]!.replace(/^(["'])(.*)\1$/, '$2').replace(/\\(.)/g, '$1');
    if (value !== '') fields.set(match[1]!, value);
  }
  return fields;
}

/** A CPU's marketing name without trademark marks, the word CPU or Processor, or its clock: "Intel Xeon Gold 6230". */
export function cpuModelName(model: string): string {
  return model
    .replace(/\((R|TM|C)\)/gi, '')
    .replace(/@.*$/, '')
    .replace(/\b(CPU|Processor)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
