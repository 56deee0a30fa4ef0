// The one interface through which the UI reaches whatever hosts it: the Electron preload bridge, or the
// browser (web dashboard served by the agent). The UI never imports Electron or Node; the main process
// implements this contract through its preload and may import this folder only.

import type { Endpoint } from '../../proto/client';
import type { ListeningEndpoint } from '../../proto/agent-report';
import type { ProtocolId } from '../../proto/protocols';
import type { Settings } from './settings';

export type Unsubscribe = () => void;

export type LocalAgentState = 'starting' | 'running' | 'restarting' | 'crashed' | 'unavailable';

/** The bundled agent on this computer, as its supervisor sees it. */
export interface LocalAgentStatus {
  state: LocalAgentState;
  /** Ready-to-connect endpoints (with any credentials) the UI uses for "This computer". */
  connect: Endpoint[];
  /** Everything the agent listens on, for display. */
  listening: ListeningEndpoint[];
  /** Lines the agent reported for listeners that could not start (a port in use, ...). */
  failures: string[];
  /** Human explanation for starting/restarting/crashed/unavailable. */
  message?: string;
  restarts: number;
}

/** One host that answered a LAN discovery scan. */
export interface DiscoveredHost {
  /** IP address the answer came from; hosts are deduplicated by it. */
  address: string;
  hostname: string;
  /** Every protocol the host advertises, with its port; ServerControl's stream is always among them. */
  protocols: { protocol: ProtocolId; port: number }[];
  /** ServerControl's HTTP port, where advertised. */
  httpPort?: number;
  /** Whether the answer came from our agent (it advertises all five protocols). */
  isFleetWatchAgent: boolean;
  lastSeenMs: number;
}

export interface DiscoveryState {
  scanning: boolean;
  hosts: DiscoveredHost[];
  lastScanAtMs?: number;
  /** Why the last scan could not run, if it could not. */
  error?: string;
}

export interface AppNotification {
  /** Same id → replaces the previous notification (one per host and rule). */
  id: string;
  title: string;
  body: string;
  severity: 'warning' | 'critical' | 'info';
  /** The host to open when the notification is clicked. */
  hostKey?: string;
}

export type FleetHostState = 'ok' | 'warning' | 'alert' | 'offline';

/** What the shell's tray shows: one row per host. */
export interface FleetSnapshot {
  hosts: { key: string; name: string; state: FleetHostState; cpuPercent?: number; gpuPercent?: number }[];
}

export interface LoadedSettings {
  settings: Settings;
  /** Set when the stored settings could not be used (e.g. a corrupt file moved aside). */
  notice?: string;
}

export interface Platform {
  readonly kind: 'electron' | 'web';
  loadSettings(): Promise<LoadedSettings>;
  saveSettings(settings: Settings): Promise<void>;
  localAgent: {
    get(): Promise<LocalAgentStatus>;
    subscribe(listener: (status: LocalAgentStatus) => void): Unsubscribe;
    /** After a crash loop the supervisor stops; this starts it again. */
    retry(): Promise<void>;
  };
  discovery: {
    get(): Promise<DiscoveryState>;
    scan(): Promise<void>;
    subscribe(listener: (state: DiscoveryState) => void): Unsubscribe;
  };
  notify(notification: AppNotification): void;
  /** Lets the shell show the fleet in its tray; a no-op where there is no tray. */
  publishFleet(fleet: FleetSnapshot): void;
  /** The shell asks the UI to show a host (a notification or tray item was clicked). */
  onOpenHost(listener: (hostKey: string) => void): Unsubscribe;
}
