// The one interface through which the UI reaches whatever hosts it: the Electron preload bridge, or the
// browser; the fleet itself always through the hub that served the page. The UI never imports Electron or
// Node; the main process implements this contract through its preload and may import this folder only.

import type { Endpoint } from '../../proto/client';
import type { Attempt } from '../../proto/detect';
import type { ListeningEndpoint } from '../../proto/agent-report';
import type { DiscoveredHost, DiscoveryState } from '../../proto/discovery';
import type { AppNotification } from '../../fleet/alerts/notification';
import type { RuleSet } from '../../fleet/alerts/rules';
import type { Credentials, ServerDetection } from '../../fleet/detect-server';
import type { HistoryWindow, HubMessage } from '../../fleet/hub-view';
import type { ServerEntry, Settings } from './settings';

export type { DiscoveredHost, DiscoveryState };

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

export type { AppNotification } from '../../fleet/alerts/notification';

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

/** A hub that holds the fleet: the page shows what it streams and opens no monitoring connection itself. */
export interface HubLink {
  /** A snapshot, then deltas; after a lost stream, a new snapshot. */
  subscribe(listener: (message: HubMessage) => void): Unsubscribe;
  history(hostKey: string, fromMs: number, toMs: number, maxPoints: number): Promise<HistoryWindow>;
  retry(sourceId: string): Promise<void>;
  /** Processes stream only for the source on screen (none: undefined). */
  watchProcesses(sourceId: string | undefined): Promise<void>;
  /** The hub keeps the server list; changes arrive back through the stream's status. */
  addServer(server: { input: string; name?: string; tags?: string[]; endpoints: Endpoint[] }): Promise<{ id: string }>;
  updateServer(id: string, change: Partial<Pick<ServerEntry, 'name' | 'input' | 'endpoints' | 'tags'>>): Promise<void>;
  removeServer(id: string): Promise<void>;
  /** Hands the hub an older list (this browser's); it keeps the ones it lacks and says how many. */
  importServers(servers: readonly ServerEntry[]): Promise<{ added: number }>;
  /** One alert, or every active one when no id is given. */
  acknowledge(id?: string): Promise<void>;
  /** "Add server": the hub detects what the address speaks, reporting each try as it goes (a bad address rejects with TargetError). */
  detect(input: string, credentials: Credentials, onProgress?: (attempts: readonly Attempt[]) => void): Promise<ServerDetection>;
  /** The hub runs the rules: changes to them go there. */
  setRules(rules: RuleSet): Promise<void>;
}

/** What the desktop shell's preload gives the page; the page adds the link to the hub that served it. */
export type ShellPlatform = Omit<Platform, 'hub'>;

export interface Platform {
  readonly kind: 'electron' | 'web';
  /** The hub that served the page: the fleet, its history, servers, alerts and rules. */
  readonly hub: HubLink;
  loadSettings(): Promise<LoadedSettings>;
  saveSettings(settings: Settings): Promise<void>;
  /** The agent on this computer, where one runs beside the UI (a hub alone has none). */
  localAgent?: {
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
