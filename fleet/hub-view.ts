// What a hub tells a page, and what a page may ask it: every machine of the hub's fleet as a view without
// credentials (first all of them, then only what changed, at most once a second), the events servers
// raise, and windows of stored history on request. A page given these opens no monitoring connection.

import type { Sample } from '../proto/model';
import { withoutCredentials } from '../proto/target';
import type { AlertEntry } from './alerts/alert-book';
import type { AppNotification } from './alerts/notification';
import type { RuleSet } from './alerts/rules';
import type { LoggedEvent } from './event-log';
import type { EndpointStatus, Machine } from './fleet';
import type { ServerEntry } from './server-entry';

/** One machine as a page sees it: its endpoints' URLs and the address being detected carry no secret. */
export type HostView = Omit<Machine, 'parts'> & {
  /** The history columns the hub keeps for it (what charts can ask for). */
  columns: string[];
  /** A rule is above its threshold but not yet for long enough: it is heading for an alert. */
  alertPending?: true;
};

export interface HubEvent {
  key: string;
  hostName: string;
  entry: LoggedEvent;
}

/** A watched server as a page sees it: its address and endpoints without credentials. */
export type HubServer = ServerEntry & {
  /** `servers.txt:12` for a server listed in the hub's --servers file (edited there, not from a page). */
  fromFile?: string;
};

/** The hub's own state a page shows beside the fleet. */
export interface HubStatus {
  /** The --servers file, when the hub was given one. */
  serversFrom?: string;
  servers: HubServer[];
  /** Lines of the servers file that were not loaded, each with its number and why. */
  problems: string[];
  /** Set while history cannot be written; live monitoring goes on. */
  historyProblem?: string;
}

/** The hub's alerts and the rules that raise them; sent whole when either changes. */
export interface HubAlertState {
  alerts: AlertEntry[];
  rules: RuleSet;
}

/** A host whose view changed only by a new reading: most of a second's changes, at a fraction of a view's size. */
export interface HostReading {
  key: string;
  sample: Sample;
}

export type HubMessage =
  | { kind: 'snapshot'; hosts: HostView[]; events: HubEvent[]; status: HubStatus; alerting: HubAlertState }
  | {
      kind: 'delta';
      upserts: HostView[];
      readings: HostReading[];
      removed: string[];
      events: HubEvent[];
      status?: HubStatus;
      alerting?: HubAlertState;
      notifications?: AppNotification[];
      /** Machines whose stored history gained readings from the past (a backfill): windows of them are stale. */
      backfilled?: string[];
    };

export interface SeriesWindow {
  /** Start of each point's interval, ms. */
  t: number[];
  mean: number[];
  min: number[];
  max: number[];
}

export type HistoryTier = 'seconds' | 'minutes' | 'hours';

export interface HistoryWindow {
  tier: HistoryTier;
  /** Width of one point. */
  stepMs: number;
  series: Record<string, SeriesWindow>;
}

export function hostView(machine: Machine, columns: Iterable<string>, alertPending = false, sameAs?: string): HostView {
  const { parts: _parts, endpoints, detectInput, ...rest } = machine;
  return {
    ...rest,
    ...(sameAs !== undefined ? { sameAs } : {}),
    endpoints: endpoints.map((endpoint): EndpointStatus => ({ ...endpoint, url: withoutCredentials(endpoint.url) })),
    ...(detectInput !== undefined ? { detectInput: withoutCredentials(detectInput) } : {}),
    columns: [...columns],
    ...(alertPending ? { alertPending: true as const } : {}),
  };
}
