// The one sampler every protocol server reads. Fast metrics are collected at most once per TTL however
// many clients ask; GPUs, disks and processes only when a caller wants them, each with its own TTL.
// Host info lists the GPUs some caller's reading found; asking for host info never reads GPUs.
// Servers call snapshot(), processDetails() and journal(); nothing else in the agent calls a collector.

import { existsSync } from 'node:fs';
import type { DiskSample, GpuInfo, HostInfo, ProcessDetails, ProcessSample, Snapshot } from '../../proto/model';
import type { FastMetrics } from './fast-metrics';
import { gpuFacts, queryNvidiaSmi, type GpuReading } from './gpus';
import { collectJournal, type JournalReading } from './journal';
import { collectProcessDetails } from './process-details';
import { linuxHostInfo } from './linux/host-info';
import { linuxCpuTempC, linuxDisks, LinuxFastCollector } from './linux/linux-collectors';
import { LinuxProcessCollector } from './linux/processes';
import { TtlCache } from './ttl-cache';

export interface SampleWants {
  gpus?: boolean;
  disks?: boolean;
  processes?: boolean;
}

export interface Sampler {
  hostInfo(): Promise<HostInfo>;
  snapshot(wants?: SampleWants): Promise<Snapshot>;
  /** One process in detail, read when asked; rejects with a message fit to show a user. Optional so samplers that only stream stay valid. */
  processDetails?(pid: number): Promise<ProcessDetails>;
  /** The newest journal records of one process; rejects with a message fit to show a user. Optional like processDetails. */
  journal?(pid: number): Promise<JournalReading>;
}

export interface SamplerTimings {
  /** Below socktop's 500 ms cadence so every poll sees a fresh CPU reading. */
  fastTtlMs: number;
  gpuTtlMs: number;
  cpuTempTtlMs: number;
  disksTtlMs: number;
  processesTtlMs: number;
  /** After nvidia-smi is found missing, how long before looking again. */
  gpuAbsentRetryMs: number;
}

export const DEFAULT_TIMINGS: SamplerTimings = {
  fastTtlMs: 450,
  gpuTtlMs: 1500,
  cpuTempTtlMs: 5000,
  disksTtlMs: 5000,
  processesTtlMs: 1500,
  gpuAbsentRetryMs: 60_000,
};

export interface SamplerCollectors {
  fast(): Promise<FastMetrics>;
  cpuTempC(): Promise<number | undefined>;
  gpus(): Promise<GpuReading>;
  disks(): Promise<DiskSample[]>;
  processes(): Promise<ProcessSample[]>;
  hostInfo(): Promise<HostInfo>;
  processDetails(pid: number): Promise<ProcessDetails>;
  journal(pid: number): Promise<JournalReading>;
}

/**
 * This machine's collectors. On Linux the fast path, disks and processes read /proc, /sys and statfs
 * directly: systeminformation spawns `cat` (synchronously, for CPU load), `df` and `ps` for them, which
 * cost milliseconds of CPU per sample and stalled the event loop. Elsewhere systeminformation does the work,
 * loaded at the first reading that needs it, so a Linux agent never loads it.
 */
export function systemCollectors(platform: NodeJS.Platform = process.platform, hostname?: string): SamplerCollectors {
  const linux = platform === 'linux' && existsSync('/proc/stat');
  const fast = linux ? new LinuxFastCollector() : undefined;
  const processes = linux ? new LinuxProcessCollector() : undefined;
  return {
    fast: fast ? () => fast.collect() : async () => (await import('./fast-metrics')).collectFastMetrics(),
    cpuTempC: linux ? () => linuxCpuTempC() : async () => (await import('./fast-metrics')).collectCpuTempC(),
    gpus: () => queryNvidiaSmi(),
    disks: linux ? () => linuxDisks() : async () => (await import('./disks-and-processes')).collectDisks(),
    processes: processes ? () => processes.collect() : async () => (await import('./disks-and-processes')).collectProcesses(),
    hostInfo: linux ? () => linuxHostInfo(hostname) : async () => (await import('./host-info')).collectHostInfo(hostname),
    processDetails: (pid) => collectProcessDetails(pid),
    journal: (pid) => collectJournal(pid),
  };
}

export class SystemSampler implements Sampler {
  private readonly fast: TtlCache<FastMetrics>;
  private readonly cpuTemp: TtlCache<number | undefined>;
  private readonly gpus: TtlCache<GpuReading>;
  private readonly disks: TtlCache<DiskSample[]>;
  private readonly processes: TtlCache<ProcessSample[]>;
  private staticHost: Promise<HostInfo> | undefined;
  /** From the last GPU reading that answered; unknown until some caller has wanted GPUs. */
  private knownGpus: GpuInfo[] | undefined;
  private gpuAbsentSince: number | undefined;
  private readonly detailsInFlight = new Map<number, Promise<ProcessDetails>>();
  private readonly journalInFlight = new Map<number, Promise<JournalReading>>();

  constructor(
    private readonly collectors: SamplerCollectors = systemCollectors(),
    private readonly timings: SamplerTimings = DEFAULT_TIMINGS,
    private readonly now: () => number = Date.now,
    private readonly onCollectorError: (what: string, error: Error) => void = () => {},
  ) {
    this.fast = new TtlCache(timings.fastTtlMs, collectors.fast, now);
    this.cpuTemp = new TtlCache(timings.cpuTempTtlMs, () => collectors.cpuTempC().catch(() => undefined), now);
    this.gpus = new TtlCache(timings.gpuTtlMs, () => this.loadGpus(), now);
    this.disks = new TtlCache(timings.disksTtlMs, collectors.disks, now);
    this.processes = new TtlCache(timings.processesTtlMs, collectors.processes, now);
  }

  hostInfo(): Promise<HostInfo> {
    return this.staticHostInfo().then((host) => this.withGpuFacts(host));
  }

  async snapshot(wants: SampleWants = {}): Promise<Snapshot> {
    const [host, fast, tempC, gpus, disks, processes] = await Promise.all([
      this.staticHostInfo(),
      this.fast.get(),
      this.cpuTemp.get(),
      wants.gpus ? this.optional('gpus', this.gpus.get().then((reading) => reading.gpus)) : undefined,
      wants.disks ? this.optional('disks', this.disks.get()) : undefined,
      wants.processes ? this.optional('processes', this.processes.get()) : undefined,
    ]);
    const sample: Snapshot['sample'] = {
      timeMs: this.now(),
      cpu: tempC === undefined ? fast.cpu : { ...fast.cpu, tempC },
      memory: fast.memory,
      network: fast.network,
      uptimeSec: fast.uptimeSec,
    };
    if (gpus) sample.gpus = gpus;
    if (disks) sample.disks = disks;
    if (processes) {
      sample.processes = processes;
      sample.processCount = processes.length;
    }
    return { host: this.withGpuFacts(host), sample };
  }

  processDetails(pid: number): Promise<ProcessDetails> {
    return this.shared(this.detailsInFlight, pid, () => this.collectors.processDetails(pid));
  }

  journal(pid: number): Promise<JournalReading> {
    return this.shared(this.journalInFlight, pid, () => this.collectors.journal(pid));
  }

  private staticHostInfo(): Promise<HostInfo> {
    this.staticHost ??= this.collectors.hostInfo().catch((error: unknown) => {
      this.staticHost = undefined;
      throw error;
    });
    return this.staticHost;
  }

  private withGpuFacts(host: HostInfo): HostInfo {
    return this.knownGpus === undefined ? host : { ...host, gpus: this.knownGpus };
  }

  /** Callers asking about the same pid at once share one read, so many clients cannot multiply the work. */
  private shared<T>(inFlight: Map<number, Promise<T>>, pid: number, load: () => Promise<T>): Promise<T> {
    const existing = inFlight.get(pid);
    if (existing) return existing;
    const loading = load().finally(() => inFlight.delete(pid));
    inFlight.set(pid, loading);
    return loading;
  }

  private async loadGpus(): Promise<GpuReading> {
    if (this.gpuAbsentSince !== undefined && this.now() - this.gpuAbsentSince < this.timings.gpuAbsentRetryMs) {
      return { gpus: [], available: false };
    }
    let reading: GpuReading;
    try {
      reading = await this.collectors.gpus();
    } catch (error) {
      // A failed run says nothing about which GPUs exist, so host info keeps the ones last seen.
      this.onCollectorError('gpus', error as Error);
      return { gpus: [], available: true };
    }
    this.gpuAbsentSince = reading.available ? undefined : this.now();
    this.knownGpus = gpuFacts(reading.gpus);
    return reading;
  }

  /** A heavy collector that fails leaves the rest of the snapshot intact. */
  private optional<T>(what: string, loading: Promise<T>): Promise<T | undefined> {
    return loading.catch((error: unknown) => {
      this.onCollectorError(what, error as Error);
      return undefined;
    });
  }
}
