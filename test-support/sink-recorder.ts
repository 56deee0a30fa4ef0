// A SourceSink that records what a client decoded, for tests to wait on.

import type { PastReading, SourceSink } from '../proto/client';
import type { HostEvent, HostInfo, Sample } from '../proto/model';

export interface RecordedSink extends SourceSink {
  hosts: Map<string, HostInfo>;
  samples: { hostId: string; sample: Sample }[];
  events: { hostId: string; event: HostEvent }[];
  statuses: { hostId: string; online: boolean }[];
  removed: string[];
  latencies: number[];
  backfills: { hostId: string; readings: readonly PastReading[] }[];
  /** Resolves once the predicate over this sink holds, checking after every callback. */
  until(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
}

export function recordSink(): RecordedSink {
  const waiters = new Set<() => void>();
  const wake = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  const sink: RecordedSink = {
    hosts: new Map(),
    samples: [],
    events: [],
    statuses: [],
    removed: [],
    latencies: [],
    backfills: [],
    host(info) {
      sink.hosts.set(info.id, info);
      wake();
    },
    sample(hostId, sample) {
      if (!sink.hosts.has(hostId)) throw new Error(`sample for ${hostId} before its host() call`);
      sink.samples.push({ hostId, sample });
      wake();
    },
    event(hostId, event) {
      sink.events.push({ hostId, event });
      wake();
    },
    hostStatus(hostId, online) {
      sink.statuses.push({ hostId, online });
      wake();
    },
    hostRemoved(hostId) {
      sink.removed.push(hostId);
      sink.hosts.delete(hostId);
      wake();
    },
    latency(ms) {
      sink.latencies.push(ms);
      wake();
    },
    history(hostId, readings) {
      sink.backfills.push({ hostId, readings });
      wake();
    },
    until(predicate, timeoutMs = 5000, what = 'condition') {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!predicate()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${what} not reached within ${timeoutMs} ms (hosts: ${[...sink.hosts.keys()].join(', ') || 'none'}; samples: ${sink.samples.length}; events: ${sink.events.length})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
  return sink;
}
