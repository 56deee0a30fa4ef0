// The page's fleet as the hub that served it streams it: the hub holds every connection, and the page
// follows one stream, asks for history windows, and passes on what the user asks of a server.

import type { FleetChange, FleetReader } from '../../fleet/fleet';
import type { HistoryLimits } from '../../fleet/history-table';
import type { HubMessage, HubStatus } from '../../fleet/hub-view';
import type { HubLink, Unsubscribe } from '../platform/platform';
import { HubFleet } from './hub-fleet';

export interface FleetFeed {
  readonly reader: FleetReader;
  /** Whether the hub says a rule is heading for an alert on this host. */
  alertPending(key: string): boolean;
  /** What the hub says of itself. */
  readonly hubStatus: HubStatus;
  /** Begins to follow the hub, once the page's own settings are loaded. */
  start(): void;
  watchProcesses(sourceId: string | undefined): void;
  retry(sourceId: string): void;
  stop(): void;
}

export interface FeedOptions {
  now: () => number;
  onChange(change: FleetChange): void;
  /** Every message from the hub, after the fleet took it: its alerts, rules and notifications are the store's. */
  onHubMessage(message: HubMessage): void;
  historyLimits?: HistoryLimits;
}

export function hubFeed(link: HubLink, options: FeedOptions): FleetFeed {
  const fleet = new HubFleet({ link, now: options.now, onChange: options.onChange, ...(options.historyLimits ? { historyLimits: options.historyLimits } : {}) });
  let unsubscribe: Unsubscribe | undefined;
  let watched: string | undefined;
  return {
    reader: fleet,
    alertPending: (key) => fleet.alertPending(key),
    start() {
      unsubscribe ??= link.subscribe((message) => {
        fleet.apply(message);
        options.onHubMessage(message);
      });
    },
    get hubStatus() {
      return fleet.status;
    },
    watchProcesses(sourceId) {
      if (sourceId === watched) return;
      watched = sourceId;
      void link.watchProcesses(sourceId).catch(() => {});
    },
    retry(sourceId) {
      void link.retry(sourceId).catch(() => {});
    },
    stop: () => unsubscribe?.(),
  };
}
