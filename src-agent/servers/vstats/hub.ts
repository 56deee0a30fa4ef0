// The vStats hub's state: this machine plus every relayed agent, which of them are online, and the latest
// metrics of each, published to dashboards as documented envelopes. No sockets here: it is told what
// happened and hands serialized frames to `publish`, so its timing rules are testable with a fake clock.

import type { HostInfo, Sample, Snapshot } from '../../../proto/model';
import type { HostFacts } from '../../../proto/vstats/metrics-schema';
import type { PastReading } from '../../../proto/client';
import { BACKFILL_SPANS_MS, encodeHistory, encodeMetrics, encodeServerAdded, encodeServerRemoved, encodeStatus } from '../../../proto/vstats/wire';

export interface HubOptions {
  /** The first snapshot of this machine: the hub's own server, always first and always online. */
  local: Snapshot;
  offlineAfterMs: number;
  /** An agent without metrics this long is forgotten (`server_removed`). */
  removeAfterMs: number;
  /** Relayed agents kept at most. */
  maxAgents: number;
  publish(frame: string): void;
  /** Frames every dashboard must get whole and in order, however many (a relayed backfill). */
  publishAll(frames: readonly string[]): void;
  now?: () => number;
}

/** The connection an agent pushes on; the hub closes it when a newer connection takes its server id. */
export interface AgentLink {
  close(code: number, reason: string): void;
}

export type ClaimResult = 'ok' | 'reserved';
export type MetricsResult = 'ok' | 'full';

interface ServerEntry {
  id: string;
  name: string;
  location: string;
  host: HostInfo;
  online: boolean;
  lastMetricsMs: number;
  metricsFrame: string;
  /** The last cumulative network counters, for a rate when the agent sends none. */
  counters?: { rxBytes: number; txBytes: number; timeMs: number };
}

/** Close code for a connection replaced by a newer one of the same server id (application range). */
export const REPLACED_CLOSE_CODE = 4000;
/** Disks relayed per agent: keeps every dashboard frame small whatever an agent pushes. */
export const MAX_RELAYED_DISKS = 64;
/** Backfilled readings per relayed history frame, so that a day's backfill reaches dashboards in frames of a few hundred KB. */
export const HISTORY_READINGS_PER_FRAME = 300;
/** Server ids whose newest reading time is remembered, for `last_seen` (an id forgotten by the relay is still known here). */
const MAX_LAST_SEEN = 10_000;
/**
 * How long, and how much of, a relayed backfill is kept for dashboards that connect later: after this hub
 * restarts, its agents and its dashboards reconnect in any order, and an agent's backfill must not go to nobody.
 */
export const BACKFILL_RETAIN_MS = 10 * 60_000;
export const BACKFILL_RETAIN_BYTES = 16 * 1024 * 1024;

export class Hub {
  private readonly local: ServerEntry;
  private readonly agents = new Map<string, ServerEntry>();
  private readonly links = new Map<string, AgentLink>();
  /** Per server id, the newest reading's time, live or backfilled: what the agent need not send again. */
  private readonly lastSeen = new Map<string, number>();
  /** Per server id and reading span (ms), the start of the newest backfilled reading relayed: older ones sent again are dropped. */
  private readonly lastRelayed = new Map<string, Map<number, number>>();
  /** Recent backfills as relayed, oldest first. */
  private retained: { atMs: number; frames: string[]; bytes: number }[] = [];
  private readonly now: () => number;

  constructor(private readonly options: HubOptions) {
    this.now = options.now ?? Date.now;
    const { host, sample } = options.local;
    this.local = {
      id: host.hostname,
      name: host.hostname,
      location: '',
      host,
      online: true,
      lastMetricsMs: this.now(),
      metricsFrame: JSON.stringify(encodeMetrics(host.hostname, sample, host)),
    };
  }

  get localId(): string {
    return this.local.id;
  }

  get agentCount(): number {
    return this.agents.size;
  }

  /** How old this machine's latest metrics are. */
  localAgeMs(): number {
    return this.now() - this.local.lastMetricsMs;
  }

  setLocal({ host, sample }: Snapshot): void {
    this.local.host = host;
    this.local.lastMetricsMs = this.now();
    this.local.metricsFrame = JSON.stringify(encodeMetrics(this.local.id, sample, host));
    this.options.publish(this.local.metricsFrame);
  }

  /** What a dashboard gets on connect: for each server, this machine first, its addition, status and latest metrics. */
  snapshotFrames(): string[] {
    const timeMs = this.now();
    return [this.local, ...this.agents.values()].flatMap((entry) => [
      JSON.stringify(encodeServerAdded(entry, timeMs)),
      JSON.stringify(encodeStatus(entry.id, entry.online, timeMs)),
      // An agent that has only backfilled so far has no latest metrics.
      ...(entry.metricsFrame ? [entry.metricsFrame] : []),
    ]);
  }

  /** A connection says it pushes for `id`. The newest connection of an id wins; this machine's id is refused. */
  claim(id: string, link: AgentLink): ClaimResult {
    if (id === this.local.id) return 'reserved';
    const previous = this.links.get(id);
    this.links.set(id, link);
    if (previous && previous !== link) previous.close(REPLACED_CLOSE_CODE, 'replaced by a newer connection for this server id');
    return 'ok';
  }

  release(id: string, link: AgentLink): void {
    if (this.links.get(id) === link) this.links.delete(id);
  }

  agentMetrics(id: string, facts: HostFacts, sample: Sample): MetricsResult {
    const entry = this.online(id, facts);
    if (!entry) return 'full';
    entry.metricsFrame = JSON.stringify(encodeMetrics(id, this.forDashboards(entry, sample), entry.host));
    this.options.publish(entry.metricsFrame);
    this.saw(id, sample.timeMs);
    return 'ok';
  }

  /** An agent's readings from while it could not reach the hub, relayed to dashboards at their own times. */
  agentBackfill(id: string, readings: readonly PastReading[]): MetricsResult {
    const entry = this.online(id, {});
    if (!entry) return 'full';
    const timeMs = this.now();
    // Real agents send their whole retained history of buckets again every minute: only what is new goes on.
    let relayed = this.lastRelayed.get(id);
    if (!relayed) this.lastRelayed.set(id, (relayed = new Map()));
    const known = new Map(relayed);
    const fresh = readings.filter((reading) => reading.sample.timeMs > (known.get(reading.spanMs) ?? -Infinity));
    for (const reading of fresh) relayed.set(reading.spanMs, Math.max(relayed.get(reading.spanMs) ?? -Infinity, reading.sample.timeMs));
    const ordered = fresh.sort((a, b) => a.sample.timeMs - b.sample.timeMs);
    const frames: string[] = [];
    for (let start = 0; start < ordered.length; start += HISTORY_READINGS_PER_FRAME) {
      frames.push(JSON.stringify(encodeHistory(id, ordered.slice(start, start + HISTORY_READINGS_PER_FRAME), timeMs)));
    }
    this.options.publishAll(frames);
    this.retain(timeMs, frames);
    const newest = ordered.at(-1);
    if (newest) this.saw(id, Math.min(newest.sample.timeMs, timeMs));
    return 'ok';
  }

  /** The backfills relayed in the last BACKFILL_RETAIN_MS, for a dashboard that has just connected. */
  recentBackfills(): string[] {
    this.retain(this.now(), []);
    return this.retained.flatMap((entry) => entry.frames);
  }

  private retain(timeMs: number, frames: string[]): void {
    if (frames.length > 0) this.retained.push({ atMs: timeMs, frames, bytes: frames.reduce((sum, frame) => sum + frame.length, 0) });
    let bytes = this.retained.reduce((sum, entry) => sum + entry.bytes, 0);
    while (this.retained.length > 0 && (this.retained[0]!.atMs < timeMs - BACKFILL_RETAIN_MS || bytes > BACKFILL_RETAIN_BYTES)) bytes -= this.retained.shift()!.bytes;
  }

  /** The newest reading time known for a server id, if any. */
  lastSeenMs(id: string): number | undefined {
    return this.lastSeen.get(id);
  }

  /** Per reading span (ms), the start of the newest backfilled reading relayed for a server id: real agents resume each granularity after it. */
  lastBuckets(id: string): ReadonlyMap<number, number> {
    return this.lastRelayed.get(id) ?? new Map();
  }

  /** A backfill too large to take: the agent hears at its next auth that it has nothing older to send, in any granularity. */
  skipBackfill(id: string): void {
    const nowMs = this.now();
    this.saw(id, nowMs);
    this.lastRelayed.set(id, new Map(BACKFILL_SPANS_MS.map((spanMs) => [spanMs, nowMs])));
  }

  /** The entry of an agent that just sent something, added (server_added) or back online (status) as needed; undefined when the relay is full. */
  private online(id: string, facts: HostFacts): ServerEntry | undefined {
    const timeMs = this.now();
    let entry = this.agents.get(id);
    if (!entry) {
      if (this.agents.size >= this.options.maxAgents && !this.evictOldestOffline()) return undefined;
      entry = { id, name: facts.hostname || id, location: '', host: { id, hostname: facts.hostname || id }, online: false, lastMetricsMs: timeMs, metricsFrame: '' };
      this.agents.set(id, entry);
      this.options.publish(JSON.stringify(encodeServerAdded(entry, timeMs)));
    }
    entry.host = { ...entry.host, ...facts, id, hostname: facts.hostname || entry.host.hostname };
    entry.lastMetricsMs = timeMs;
    if (!entry.online) {
      entry.online = true;
      this.options.publish(JSON.stringify(encodeStatus(id, true, timeMs)));
    }
    return entry;
  }

  private saw(id: string, timeMs: number): void {
    if ((this.lastSeen.get(id) ?? -Infinity) >= timeMs) return;
    this.lastSeen.delete(id);
    this.lastSeen.set(id, timeMs);
    // Insertion order is recency: the least recently heard id goes first.
    if (this.lastSeen.size > MAX_LAST_SEEN) {
      const oldest = this.lastSeen.keys().next().value!;
      this.lastSeen.delete(oldest);
      this.lastRelayed.delete(oldest);
    }
  }

  /** Marks agents silent for offline-after as offline, and forgets those silent for remove-after. */
  sweep(): void {
    const timeMs = this.now();
    for (const entry of [...this.agents.values()]) {
      const silentMs = timeMs - entry.lastMetricsMs;
      if (silentMs >= this.options.removeAfterMs) {
        this.agents.delete(entry.id);
        this.options.publish(JSON.stringify(encodeServerRemoved(entry.id, timeMs)));
      } else if (entry.online && silentMs >= this.options.offlineAfterMs) {
        entry.online = false;
        this.options.publish(JSON.stringify(encodeStatus(entry.id, false, timeMs)));
      }
    }
  }

  private evictOldestOffline(): boolean {
    let oldest: ServerEntry | undefined;
    for (const entry of this.agents.values()) if (!entry.online && (!oldest || entry.lastMetricsMs < oldest.lastMetricsMs)) oldest = entry;
    if (!oldest) return false;
    this.agents.delete(oldest.id);
    this.options.publish(JSON.stringify(encodeServerRemoved(oldest.id, this.now())));
    return true;
  }

  /** At most MAX_RELAYED_DISKS disks, and network rates: documented agents push cumulative counters only. */
  private forDashboards(entry: ServerEntry, pushed: Sample): Sample {
    const sample = pushed.disks && pushed.disks.length > MAX_RELAYED_DISKS ? { ...pushed, disks: pushed.disks.slice(0, MAX_RELAYED_DISKS) } : pushed;
    const network = sample.network;
    if (!network || network.rxTotalBytes === undefined || network.txTotalBytes === undefined) return sample;
    const previous = entry.counters;
    entry.counters = { rxBytes: network.rxTotalBytes, txBytes: network.txTotalBytes, timeMs: sample.timeMs };
    if (network.rxBytesPerSec !== undefined && network.txBytesPerSec !== undefined) return sample;
    if (!previous) return sample;
    return {
      ...sample,
      network: {
        ...network,
        rxBytesPerSec: network.rxBytesPerSec ?? counterRate(previous.rxBytes, previous.timeMs, network.rxTotalBytes, sample.timeMs),
        txBytesPerSec: network.txBytesPerSec ?? counterRate(previous.txBytes, previous.timeMs, network.txTotalBytes, sample.timeMs),
      },
    };
  }
}

function counterRate(previous: number, previousMs: number, current: number, currentMs: number): number | undefined {
  const elapsedMs = currentMs - previousMs;
  if (!(elapsedMs > 0) || current < previous) return undefined;
  return Math.round(((current - previous) * 1000) / elapsedMs);
}
