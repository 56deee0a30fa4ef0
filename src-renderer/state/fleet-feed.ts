// Where the page's fleet comes from: a hub that holds it (the page only shows it), or, where no hub runs
// yet, this page's own engine with one connection per endpoint. The store talks to either the same way.

import type { BackoffPolicy } from '../../proto/connection';
import type { Detection } from '../../proto/detect';
import type { WebSocketConstructor } from '../../proto/transport';
import { ConnectionPool } from '../../fleet/connection-pool';
import { Fleet, type FleetChange, type FleetReader, type SourceSpec } from '../../fleet/fleet';
import type { HistoryLimits } from '../../fleet/history-table';
import type { HubMessage, HubStatus } from '../../fleet/hub-view';
import type { HubLink, Unsubscribe } from '../platform/platform';
import { HubFleet } from './hub-fleet';

export interface FleetFeed {
  readonly reader: FleetReader;
  /** What the hub says of itself; absent when this page runs the fleet. */
  readonly hubStatus: HubStatus | undefined;
  /** Begins to follow the hub, once the page's own settings are loaded. */
  start(): void;
  /** The sources this page watches; a hub keeps its own list and ignores this. */
  sync(specs: readonly SourceSpec[]): void;
  watchProcesses(sourceId: string | undefined): void;
  retry(sourceId: string): void;
  /** A detection found a server but its endpoints could not be saved. */
  detectionFailed(sourceId: string, reason: string): void;
  stop(): void;
}

export interface FeedOptions {
  now: () => number;
  onChange(change: FleetChange): void;
  /** Every message from a hub, after the fleet took it: its alerts, rules and notifications are the store's. */
  onHubMessage?(message: HubMessage): void;
  historyLimits?: HistoryLimits;
}

export function hubFeed(link: HubLink, options: FeedOptions): FleetFeed {
  const fleet = new HubFleet({ link, now: options.now, onChange: options.onChange, ...(options.historyLimits ? { historyLimits: options.historyLimits } : {}) });
  let unsubscribe: Unsubscribe | undefined;
  let watched: string | undefined;
  return {
    reader: fleet,
    start() {
      unsubscribe ??= link.subscribe((message) => {
        fleet.apply(message);
        options.onHubMessage?.(message);
      });
    },
    get hubStatus() {
      return fleet.status;
    },
    sync() {},
    watchProcesses(sourceId) {
      if (sourceId === watched) return;
      watched = sourceId;
      void link.watchProcesses(sourceId).catch(() => {});
    },
    retry(sourceId) {
      void link.retry(sourceId).catch(() => {});
    },
    detectionFailed() {},
    stop: () => unsubscribe?.(),
  };
}

export function localFeed(options: FeedOptions & { WebSocket: WebSocketConstructor; backoff?: BackoffPolicy; onDetected(sourceId: string, input: string, found: Detection[]): void }): FleetFeed {
  const fleet = new Fleet({ now: options.now, onChange: options.onChange, ...(options.historyLimits ? { historyLimits: options.historyLimits } : {}) });
  const pool = new ConnectionPool({ fleet, WebSocket: options.WebSocket, ...(options.backoff ? { backoff: options.backoff } : {}), onDetected: options.onDetected });
  return {
    reader: fleet,
    hubStatus: undefined,
    start() {},
    sync: (specs) => pool.sync(specs),
    watchProcesses: (sourceId) => pool.watchProcesses(sourceId),
    retry: (sourceId) => pool.retry(sourceId),
    detectionFailed: (sourceId, reason) => fleet.setDetectionState(sourceId, { status: 'failed', reason }),
    stop: () => pool.stopAll(),
  };
}
