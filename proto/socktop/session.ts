// One socktop client session: polls metrics, disks and (only while asked) processes with strictly one request
// in flight, and fails the socket when a reply is late, because a late reply would pair with the wrong request.

import type { ClientSession, SessionContext, SessionInterest } from '../client';
import type { DiskSample, HostInfo, NetworkSample, Sample } from '../model';
import { counterRate } from '../units';
import { decodeProcessesReply, type ProcessList } from './processes';
import { REQUEST_TEXT } from './requests';
import { decodeDisks, decodeMetrics, replyJson } from './wire';

export interface SocktopTimings {
  metricsIntervalMs: number;
  disksIntervalMs: number;
  /** Only while the session's interest includes processes. */
  processesIntervalMs: number;
  requestTimeoutMs: number;
  /** A socket closed this soon after opening, before any reply, was refused (real agents close on a bad token). */
  authCloseWindowMs: number;
}

export const SOCKTOP_TIMINGS: SocktopTimings = {
  metricsIntervalMs: 1000,
  disksIntervalMs: 5000,
  processesIntervalMs: 2000,
  requestTimeoutMs: 5000,
  authCloseWindowMs: 1000,
};

type PolledKind = keyof typeof REQUEST_TEXT;
type Timer = ReturnType<typeof setTimeout>;

const LOOPBACK = /^lo\d*$/;

export class SocktopSession implements ClientSession {
  private readonly queue: PolledKind[] = [];
  private inFlight: { kind: PolledKind; timer: Timer } | undefined;
  private readonly pollers: Timer[];
  private processesPoller: Timer | undefined;
  private disposed = false;
  private announcedHost = '';
  private disks: DiskSample[] | undefined;
  private processes: ProcessList | undefined;
  private previous: Sample | undefined;

  constructor(
    private readonly context: SessionContext,
    private readonly timings: SocktopTimings,
  ) {
    this.pollers = [setInterval(() => this.request('metrics'), timings.metricsIntervalMs), setInterval(() => this.request('disks'), timings.disksIntervalMs)];
    this.request('metrics');
    this.request('disks');
  }

  setInterest(interest: SessionInterest): void {
    if (interest.processes && !this.processesPoller) {
      this.processesPoller = setInterval(() => this.request('processes'), this.timings.processesIntervalMs);
      this.request('processes');
    } else if (!interest.processes && this.processesPoller) {
      clearInterval(this.processesPoller);
      this.processesPoller = undefined;
      this.processes = undefined;
      const queued = this.queue.indexOf('processes');
      if (queued >= 0) this.queue.splice(queued, 1);
    }
  }

  onMessage(data: string | Uint8Array): void {
    const answered = this.inFlight;
    // Nothing was asked: real agents never speak unprompted, so this frame pairs with nothing.
    if (!answered) return;
    clearTimeout(answered.timer);
    this.inFlight = undefined;
    this.read(answered.kind, data);
    this.sendNext();
  }

  dispose(): void {
    this.disposed = true;
    for (const poller of this.pollers) clearInterval(poller);
    clearInterval(this.processesPoller);
    clearTimeout(this.inFlight?.timer);
    this.inFlight = undefined;
  }

  private request(kind: PolledKind): void {
    if (this.disposed || this.inFlight?.kind === kind || this.queue.includes(kind)) return;
    this.queue.push(kind);
    this.sendNext();
  }

  private sendNext(): void {
    if (this.disposed || this.inFlight) return;
    const kind = this.queue.shift();
    if (!kind || !this.context.send(REQUEST_TEXT[kind])) return;
    const timer = setTimeout(() => {
      this.context.fail(`socktop: ${REQUEST_TEXT[kind]} got no reply within ${this.timings.requestTimeoutMs / 1000} s; the request timed out`, 'retry');
    }, this.timings.requestTimeoutMs);
    this.inFlight = { kind, timer };
  }

  private read(kind: PolledKind, data: string | Uint8Array): void {
    if (kind === 'disks') {
      this.disks = decodeDisks(replyJson(data)) ?? this.disks;
    } else if (kind === 'processes') {
      if (this.processesPoller) this.processes = decodeProcessesReply(data) ?? this.processes;
    } else {
      this.readMetrics(data);
    }
  }

  private readMetrics(data: string | Uint8Array): void {
    const decoded = decodeMetrics(replyJson(data), Date.now());
    if (!decoded) return;
    const { context } = this;
    const host: HostInfo = { ...decoded.host, id: context.hostLabel, hostname: decoded.host.hostname || context.hostLabel };
    const hostKey = JSON.stringify(host);
    if (hostKey !== this.announcedHost) {
      this.announcedHost = hostKey;
      context.sink.host(host);
    }
    const sample = decoded.sample;
    // Agents that serve a cached reading repeat its time: the same reading is not a new sample.
    if (this.previous && sample.timeMs === this.previous.timeMs) return;
    if (sample.network) sample.network = withRates(sample.network, sample.timeMs, this.previous);
    if (this.disks) sample.disks = this.disks;
    if (this.processes) {
      sample.processes = this.processes.processes;
      sample.processCount = this.processes.processCount;
    }
    this.previous = sample;
    context.sink.sample(context.hostLabel, sample);
  }
}

/** Rates from the counters of the previous sample; totals leave out loopback, which is the machine talking to itself. */
function withRates(network: NetworkSample, timeMs: number, previous: Sample | undefined): NetworkSample {
  const before = new Map((previous?.network?.interfaces ?? []).map((net) => [net.name, net]));
  const interfaces = (network.interfaces ?? []).map((net) => {
    const last = before.get(net.name);
    if (!last || !previous) return net;
    return { ...net, rxBytesPerSec: rate(last.rxBytes, previous.timeMs, net.rxBytes, timeMs), txBytesPerSec: rate(last.txBytes, previous.timeMs, net.txBytes, timeMs) };
  });
  const external = interfaces.filter((net) => !LOOPBACK.test(net.name));
  const result: NetworkSample = {
    interfaces,
    rxTotalBytes: sum(external.map((net) => net.rxBytes)),
    txTotalBytes: sum(external.map((net) => net.txBytes)),
  };
  if (external.length > 0 && external.every((net) => net.rxBytesPerSec !== undefined && net.txBytesPerSec !== undefined)) {
    result.rxBytesPerSec = sum(external.map((net) => net.rxBytesPerSec));
    result.txBytesPerSec = sum(external.map((net) => net.txBytesPerSec));
  }
  return result;
}

function rate(previous: number | undefined, previousMs: number, current: number | undefined, currentMs: number): number | undefined {
  return previous === undefined || current === undefined ? undefined : counterRate(previous, previousMs, current, currentMs);
}

function sum(values: (number | undefined)[]): number {
  return values.reduce<number>((total, value) => total + (value ?? 0), 0);
}
