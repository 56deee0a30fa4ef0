// The normalized model every protocol decodes into and every agent server encodes from.
// Units: bytes, percent 0–100, epoch milliseconds, degrees Celsius, watts. Wire units never leak past a codec.

/** Static facts about one monitored machine. */
export interface HostInfo {
  /** Stable id within its source: the hostname for single-host protocols, `server_id` for vStats. */
  id: string;
  hostname: string;
  /** Display name when the source gives one that differs from the hostname (vStats `server_name`). */
  name?: string;
  location?: string;
  os?: { name: string; version?: string; kernel?: string; arch?: string };
  /** The model is absent where a source counts cores but does not name the CPU (node_exporter without its cpu.info collector). */
  cpu?: { model?: string; cores: number };
  memoryTotalBytes?: number;
  gpus?: GpuInfo[];
  /** Free-form status text the server reports about itself (SysMedic `status`, agent version, ...). */
  serverStatus?: string;
}

export interface GpuInfo {
  index: number;
  name: string;
  vendor?: string;
  memoryTotalBytes?: number;
}

export interface CpuSample {
  totalPercent: number;
  perCorePercent?: number[];
  /** Cumulative CPU seconds per core and mode since boot (what Prometheus' node_cpu_seconds_total carries). */
  perCoreTimesSec?: CpuTimesSec[];
  tempC?: number;
  /** 1, 5 and 15 minute load averages. */
  load?: [number, number, number];
  frequencyMhz?: number;
}

export interface CpuTimesSec {
  user: number;
  nice: number;
  system: number;
  idle: number;
  irq: number;
}

export interface MemorySample {
  /** Always present: some protocols only report a percentage. */
  usedPercent: number;
  totalBytes?: number;
  /** total − available, as `free` reports it. */
  usedBytes?: number;
  swapTotalBytes?: number;
  swapUsedBytes?: number;
}

export interface GpuSample {
  index: number;
  name?: string;
  utilizationPercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  tempC?: number;
  powerWatts?: number;
}

export interface DiskSample {
  /** Device or filesystem name. */
  name: string;
  mountPoint?: string;
  fsType?: string;
  totalBytes?: number;
  usedBytes?: number;
  availableBytes?: number;
  usedPercent?: number;
  tempC?: number;
}

export interface NetworkInterfaceSample {
  name: string;
  /** Cumulative since boot. */
  rxBytes?: number;
  txBytes?: number;
  rxBytesPerSec?: number;
  txBytesPerSec?: number;
}

export interface NetworkSample {
  interfaces?: NetworkInterfaceSample[];
  rxBytesPerSec?: number;
  txBytesPerSec?: number;
  rxTotalBytes?: number;
  txTotalBytes?: number;
}

export interface ProcessSample {
  pid: number;
  name: string;
  /** Share of the whole machine (all cores), 0–100. */
  cpuPercent: number;
  memoryBytes: number;
  user?: string;
  command?: string;
}

/** One reading of one host. Every field but the time is optional: a protocol fills what it carries. */
export interface Sample {
  timeMs: number;
  cpu?: CpuSample;
  memory?: MemorySample;
  gpus?: GpuSample[];
  disks?: DiskSample[];
  /** Overall disk usage when a protocol reports only one figure (SysMedic, vStats deltas). */
  diskUsedPercent?: number;
  network?: NetworkSample;
  uptimeSec?: number;
  processes?: ProcessSample[];
  processCount?: number;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** Something a server said happened, as opposed to a reading. */
export type HostEvent =
  | { kind: 'alert'; timeMs: number; severity: AlertSeverity; metric?: 'cpu' | 'memory' | 'disk' | 'gpu'; message: string; valuePercent?: number }
  | { kind: 'task-start'; timeMs: number; taskId: string; command: string }
  | { kind: 'task-output'; timeMs: number; taskId: string; output: string }
  | { kind: 'task-complete'; timeMs: number; taskId: string; exitCode: number | null };

/** One process in detail, read on request rather than sampled (socktop's `get_process_metrics`). */
export interface ProcessDetails {
  pid: number;
  name: string;
  /** The full command line; the name where the process has none (kernel threads). */
  command: string;
  /** Share of the whole machine (all cores) over a short measuring window, 0–100. */
  cpuPercent: number;
  /** Resident set size. */
  memoryBytes: number;
  virtualMemoryBytes: number;
  threadCount: number;
  /** Scheduler state in words: "Running", "Sleeping", "Zombie", ... */
  status: string;
  parentPid?: number;
  userId: number;
  groupId: number;
  startTimeMs: number;
  /** CPU time spent since the process started. */
  cpuUserMs: number;
  cpuSystemMs: number;
  /** When it was read. */
  timeMs: number;
}

/** One systemd journal record written by a process. */
export interface JournalEntry {
  timeMs: number;
  /** syslog priority: 0 emergency … 7 debug. */
  priority: number;
  message: string;
  unit?: string;
  pid?: number;
  command?: string;
  userId?: number;
  groupId?: number;
}

/** What the agent's sampler produces and every server encodes. */
export interface Snapshot {
  host: HostInfo;
  sample: Sample;
}

/**
 * Fields a protocol can fill. The UI shows what a source provides and says what it lacks.
 * Keys name model fields; `tasks` and `alerts` are event kinds.
 */
export const CAPABILITIES = [
  'cpu',
  'cpuPerCore',
  'cpuTemp',
  'load',
  'memory',
  'memoryBytes',
  'swap',
  'gpu',
  'gpuTemp',
  'gpuPower',
  'disks',
  'diskPercent',
  'network',
  'uptime',
  'processes',
  'hostInfo',
  'alerts',
  'tasks',
  'multiHost',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export const CAPABILITY_LABELS: Record<Capability, string> = {
  cpu: 'CPU usage',
  cpuPerCore: 'per-core CPU',
  cpuTemp: 'CPU temperature',
  load: 'load average',
  memory: 'memory usage',
  memoryBytes: 'memory in bytes',
  swap: 'swap',
  gpu: 'GPU usage',
  gpuTemp: 'GPU temperature',
  gpuPower: 'GPU power',
  disks: 'per-disk usage',
  diskPercent: 'overall disk usage',
  network: 'network traffic',
  uptime: 'uptime',
  processes: 'processes',
  hostInfo: 'system info',
  alerts: 'server alerts',
  tasks: 'remote tasks',
  multiHost: 'several hosts per connection',
};
