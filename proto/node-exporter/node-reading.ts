// Successive scrapes of a node_exporter (or of anything serving its names, our agent included) into the
// model. Counters become rates against the previous scrape: the first gives no CPU and no traffic rates,
// and a counter that went back (a reset, a restarted exporter) gives nothing for that series that once.

import type { CpuSample, MemorySample, NetworkInterfaceSample, NetworkSample, Sample } from '../model';
import { clampPercent, counterRate, percentOf } from '../units';
import { readCpuTemperature, TEMPERATURE_METRIC_NAMES } from './cpu-temperature';
import type { Exposition } from './exposition';
import { FILESYSTEM_METRIC_NAMES, readFilesystems } from './filesystems';
import { GPU_METRIC_NAMES, readGpus } from './gpu-series';
import { HOST_METRIC_NAMES, readHostFacts, type HostFacts } from './host-facts';
import { byteCount, firstValue, labelText, seriesOf, within } from './series-values';

/** Every metric the reader looks at: what the parser keeps of a scrape. */
export const NODE_METRIC_NAMES: ReadonlySet<string> = new Set([
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_SwapTotal_bytes',
  'node_memory_SwapFree_bytes',
  'node_load1',
  'node_load5',
  'node_load15',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_time_seconds',
  'node_boot_time_seconds',
  ...HOST_METRIC_NAMES,
  ...FILESYSTEM_METRIC_NAMES,
  ...TEMPERATURE_METRIC_NAMES,
  ...GPU_METRIC_NAMES,
]);

/** Modes in which a CPU does nothing for anyone: waiting for a disk is idle time too. */
const IDLE_MODES = new Set(['idle', 'iowait']);
/** More interfaces than a person reads in a list; the totals still count them all. */
const MAX_LISTED_INTERFACES = 256;
const DIRECTIONS = [
  { bytes: 'rxBytes', rate: 'rxBytesPerSec', total: 'rxTotalBytes' },
  { bytes: 'txBytes', rate: 'txBytesPerSec', total: 'txTotalBytes' },
] as const;

export interface NodeReading {
  host: HostFacts;
  sample: Sample;
}

/** Seconds per mode, per CPU label. */
type CpuTimes = Map<string, Map<string, number>>;
type InterfaceBytes = Map<string, { rxBytes?: number; txBytes?: number }>;

interface Counters {
  timeMs: number;
  cpus: CpuTimes;
  interfaces: InterfaceBytes;
}

export class NodeReader {
  private previous: Counters | undefined;

  /** Reads one scrape taken at `nowMs` (the hub's clock); rates use the server's own clock where it gives one. */
  read(exposition: Exposition, nowMs: number): NodeReading {
    const serverTimeSec = within(firstValue(exposition, 'node_time_seconds'), 0, 1e11);
    const counters: Counters = { timeMs: serverTimeSec === undefined ? nowMs : serverTimeSec * 1000, cpus: cpuTimes(exposition), interfaces: interfaceBytes(exposition) };
    const previous = this.previous;
    this.previous = counters;

    const gpus = readGpus(exposition);
    const sample: Sample = { timeMs: nowMs };
    const cpu = previous ? cpuSample(previous.cpus, counters.cpus) : undefined;
    if (cpu) {
      const load = loadAverage(exposition);
      const tempC = readCpuTemperature(exposition);
      if (load) cpu.load = load;
      if (tempC !== undefined) cpu.tempC = tempC;
      sample.cpu = cpu;
    }
    const memory = memorySample(exposition);
    if (memory) sample.memory = memory;
    if (gpus.length > 0) sample.gpus = gpus.map((gpu) => gpu.sample);
    const disks = readFilesystems(exposition);
    if (disks.length > 0) sample.disks = disks;
    const network = networkSample(counters, previous);
    if (network) sample.network = network;
    const bootSec = within(firstValue(exposition, 'node_boot_time_seconds'), 1, 1e11);
    const uptimeSec = bootSec === undefined ? undefined : within(Math.floor(counters.timeMs / 1000 - bootSec), 0, 1e10);
    if (uptimeSec !== undefined) sample.uptimeSec = uptimeSec;
    return { host: readHostFacts(exposition, counters.cpus.size, gpus), sample };
  }
}

function cpuTimes(exposition: Exposition): CpuTimes {
  const cpus: CpuTimes = new Map();
  for (const series of seriesOf(exposition, 'node_cpu_seconds_total')) {
    const cpu = labelText(series, 'cpu');
    const mode = labelText(series, 'mode');
    if (cpu === undefined || mode === undefined) continue;
    let modes = cpus.get(cpu);
    if (!modes) cpus.set(cpu, (modes = new Map()));
    // NaN stays in: a CPU with a mode it cannot count has no figure, rather than a figure without that mode.
    if (!modes.has(mode)) modes.set(mode, Number.isFinite(series.value) && series.value >= 0 ? series.value : NaN);
  }
  return cpus;
}

/** Busy share per CPU between two scrapes; the whole machine's from the CPUs that have one. */
function cpuSample(before: CpuTimes, after: CpuTimes): CpuSample | undefined {
  let busyTotal = 0;
  let elapsedTotal = 0;
  const perCore: (number | undefined)[] = [];
  for (const cpu of [...after.keys()].sort(byCpuNumber)) {
    const share = busyShare(before.get(cpu), after.get(cpu)!);
    perCore.push(share && percentOf(share.busy, share.elapsed));
    if (!share) continue;
    busyTotal += share.busy;
    elapsedTotal += share.elapsed;
  }
  if (!(elapsedTotal > 0)) return undefined;
  const cpu: CpuSample = { totalPercent: clampPercent(percentOf(busyTotal, elapsedTotal)) };
  // Positions are CPU numbers: with one CPU missing, the list would put the others in the wrong places.
  if (perCore.every((share) => share !== undefined)) cpu.perCorePercent = perCore.map((share) => clampPercent(share!));
  return cpu;
}

function busyShare(before: Map<string, number> | undefined, after: Map<string, number>): { busy: number; elapsed: number } | undefined {
  if (!before) return undefined;
  let busy = 0;
  let elapsed = 0;
  for (const [mode, seconds] of after) {
    const delta = seconds - (before.get(mode) ?? NaN);
    // A counter that went back was reset, and a NaN is unknown: either way this interval has no figure.
    if (!(delta >= 0)) return undefined;
    elapsed += delta;
    if (!IDLE_MODES.has(mode)) busy += delta;
  }
  return elapsed > 0 ? { busy, elapsed } : undefined;
}

function byCpuNumber(a: string, b: string): number {
  const numbers = [Number(a), Number(b)];
  return Number.isInteger(numbers[0]) && Number.isInteger(numbers[1]) ? numbers[0]! - numbers[1]! : a.localeCompare(b);
}

function loadAverage(exposition: Exposition): [number, number, number] | undefined {
  const loads = ['node_load1', 'node_load5', 'node_load15'].map((name) => within(firstValue(exposition, name), 0, 1e6));
  return loads.every((load) => load !== undefined) ? (loads as [number, number, number]) : undefined;
}

function memorySample(exposition: Exposition): MemorySample | undefined {
  const totalBytes = byteCount(firstValue(exposition, 'node_memory_MemTotal_bytes'));
  const availableBytes = byteCount(firstValue(exposition, 'node_memory_MemAvailable_bytes'));
  if (!totalBytes || availableBytes === undefined || availableBytes > totalBytes) return undefined;
  const usedBytes = totalBytes - availableBytes;
  const memory: MemorySample = { usedPercent: percentOf(usedBytes, totalBytes), totalBytes, usedBytes };
  const swapTotalBytes = byteCount(firstValue(exposition, 'node_memory_SwapTotal_bytes'));
  const swapFreeBytes = byteCount(firstValue(exposition, 'node_memory_SwapFree_bytes'));
  if (swapTotalBytes !== undefined && swapFreeBytes !== undefined && swapFreeBytes <= swapTotalBytes) {
    memory.swapTotalBytes = swapTotalBytes;
    memory.swapUsedBytes = swapTotalBytes - swapFreeBytes;
  }
  return memory;
}

function interfaceBytes(exposition: Exposition): InterfaceBytes {
  const interfaces: InterfaceBytes = new Map();
  const read = (metric: string, field: 'rxBytes' | 'txBytes'): void => {
    for (const series of seriesOf(exposition, metric)) {
      const device = labelText(series, 'device');
      if (!device || device === 'lo') continue;
      let counts = interfaces.get(device);
      if (!counts) interfaces.set(device, (counts = {}));
      counts[field] ??= byteCount(series.value);
    }
  };
  read('node_network_receive_bytes_total', 'rxBytes');
  read('node_network_transmit_bytes_total', 'txBytes');
  return interfaces;
}

function networkSample(current: Counters, previous: Counters | undefined): NetworkSample | undefined {
  if (current.interfaces.size === 0) return undefined;
  const interfaces: NetworkInterfaceSample[] = [];
  const network: NetworkSample = { interfaces };
  for (const [name, counts] of [...current.interfaces].sort(([a], [b]) => a.localeCompare(b))) {
    const sample: NetworkInterfaceSample = { name };
    for (const direction of DIRECTIONS) {
      const bytes = counts[direction.bytes];
      if (bytes === undefined) continue;
      sample[direction.bytes] = bytes;
      network[direction.total] = (network[direction.total] ?? 0) + bytes;
      const before = previous?.interfaces.get(name)?.[direction.bytes];
      const rate = before === undefined ? undefined : counterRate(before, previous!.timeMs, bytes, current.timeMs);
      if (rate === undefined) continue;
      sample[direction.rate] = rate;
      network[direction.rate] = (network[direction.rate] ?? 0) + rate;
    }
    if (interfaces.length < MAX_LISTED_INTERFACES) interfaces.push(sample);
  }
  return network;
}
