// The app's state in one place: settings, the local agent, discovery, the fleet and its connections, the
// alert engine and list, toasts and the current view. Data changes are batched into one notification per
// tick so 50 hosts at 1 Hz re-render a few times a second, not fifty. No React and no DOM here.

import type { BackoffPolicy } from '../../proto/connection';
import { detectedEndpoints, type Attempt, type Detection } from '../../proto/detect';
import type { DiscoveredHost, DiscoveryState } from '../../proto/discovery';
import type { WebSocketConstructor } from '../../proto/transport';
import type { AppNotification, FleetHostState, HubLink, LocalAgentStatus, Platform, Unsubscribe } from '../platform/platform';
import { DEFAULT_ALERT_RULES, defaultSettings, type ServerEntry, type Settings } from '../platform/settings';
import type { RuleSet } from '../../fleet/alerts/rules';
import { AlertBook } from '../../fleet/alerts/alert-book';
import { AlertEngine, effectiveRules, metricValue } from '../../fleet/alerts/alert-engine';
import type { FleetChange, FleetReader, Machine } from '../../fleet/fleet';
import type { HubMessage, HubServer, HubStatus } from '../../fleet/hub-view';
import type { HistoryLimits } from '../../fleet/history-table';
import { newServerId } from '../../fleet/server-entry';
import { hubFeed, localFeed, type FleetFeed } from './fleet-feed';
import { fleetSnapshot, hostState } from './host-state';
import { detectServer, type Credentials, type ServerDetection } from '../../fleet/detect-server';
import { addServer, entryFromDetection, entryFromDiscovery, inputWithCredentials, removeServer, serverForDiscovered, sourceSpecs, updateServer } from './servers';

export type Route = { view: 'overview' } | { view: 'host'; hostKey: string } | { view: 'servers' } | { view: 'discovery' } | { view: 'alerts' } | { view: 'rules' };

export interface Toast extends AppNotification {
  atMs: number;
}

export interface HostRow {
  machine: Machine;
  state: FleetHostState;
  /** A rule or server alert is active on it. */
  alerting: boolean;
}

export interface AppStoreOptions {
  platform: Platform;
  WebSocket: WebSocketConstructor;
  now?: () => number;
  /** How often batched data changes reach the views. */
  renderIntervalMs?: number;
  /** At most one fleet snapshot to the shell per this interval. */
  publishIntervalMs?: number;
  toastMs?: number;
  backoff?: BackoffPolicy;
  historyLimits?: HistoryLimits;
}

const EMPTY_DISCOVERY: DiscoveryState = { scanning: false, hosts: [] };
const MAX_TOASTS = 99;

export class AppStore {
  settings: Settings = defaultSettings();
  settingsNotice: string | undefined;
  /** Something done for the user that they should know of (not a problem). */
  infoNotice: string | undefined;
  loaded = false;
  localAgent: LocalAgentStatus | undefined;
  discovery: DiscoveryState = EMPTY_DISCOVERY;
  route: Route = { view: 'overview' };
  toasts: Toast[] = [];
  readonly fleet: FleetReader;
  readonly book = new AlertBook();
  private readonly engine = new AlertEngine();
  private readonly feed: FleetFeed;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly dirty = new Set<string>();
  private readonly now: () => number;
  private versionNumber = 0;
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPublished = '';
  private lastPublishAtMs = -Infinity;
  private rowsCache: { version: number; rows: HostRow[]; byKey: Map<string, HostRow> } | undefined;
  private knownKeys = new Set<string>();
  private rulesOffered = false;
  private watchedSource: string | undefined;

  constructor(private readonly options: AppStoreOptions) {
    this.now = options.now ?? Date.now;
    const feedOptions = {
      now: this.now,
      onChange: (change: FleetChange) => this.onFleetChange(change),
      onHubMessage: (message: HubMessage) => this.onHubMessage(message),
      ...(options.historyLimits ? { historyLimits: options.historyLimits } : {}),
    };
    this.feed = options.platform.hub
      ? hubFeed(options.platform.hub, feedOptions)
      : localFeed({ ...feedOptions, WebSocket: options.WebSocket, ...(options.backoff ? { backoff: options.backoff } : {}), onDetected: (id, input, found) => void this.saveDetected(id, input, found) });
    this.fleet = this.feed.reader;
  }

  /** What the hub holding the fleet says of itself; undefined when this page runs the fleet. */
  get hubStatus(): HubStatus | undefined {
    return this.feed.hubStatus;
  }

  get version(): number {
    return this.versionNumber;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.versionNumber;

  async start(): Promise<void> {
    const { platform } = this.options;
    const loaded = await platform.loadSettings();
    this.settings = loaded.settings;
    this.settingsNotice = loaded.notice;
    if (platform.localAgent) this.unsubscribes.push(platform.localAgent.subscribe((status) => this.setLocalAgent(status)));
    this.unsubscribes.push(
      platform.discovery.subscribe((state) => {
        this.discovery = state;
        this.notify();
      }),
      platform.onOpenHost((hostKey) => this.navigate({ view: 'host', hostKey })),
    );
    const [local, discovery] = await Promise.all([platform.localAgent ? platform.localAgent.get().catch(() => undefined) : undefined, platform.discovery.get().catch(() => EMPTY_DISCOVERY)]);
    this.discovery = discovery;
    this.loaded = true;
    this.localAgent = local;
    this.feed.start();
    this.syncSources();
    if (platform.hub) await this.moveServersToHub(platform.hub);
  }

  stop(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.feed.stop();
    clearTimeout(this.tickTimer);
    clearTimeout(this.publishTimer);
  }

  navigate(route: Route): void {
    this.route = route;
    this.watchRouteProcesses();
    this.notify();
  }

  /** Processes stream only for the host on screen; a host opened from the address may appear only later. */
  private watchRouteProcesses(): void {
    const sourceId = this.route.view === 'host' ? this.fleet.machine(this.route.hostKey)?.sourceId : undefined;
    if (sourceId !== this.watchedSource) this.feed.watchProcesses(sourceId);
    this.watchedSource = sourceId;
  }

  async saveSettings(next: Settings): Promise<void> {
    const { hub } = this.options.platform;
    if (hub && JSON.stringify(next.alerts) !== JSON.stringify(this.settings.alerts)) await hub.setRules(next.alerts);
    await this.options.platform.saveSettings(next);
    this.settings = next;
    this.settingsNotice = undefined;
    this.syncSources();
  }

  /** Runs "Add server" detection (in the hub where one holds the fleet); throws TargetError for a bad address. */
  detect(input: string, credentials: Credentials, onProgress?: (attempts: readonly Attempt[]) => void): Promise<ServerDetection> {
    const { hub } = this.options.platform;
    if (hub) return hub.detect(input, credentials);
    return detectServer(input, credentials, { WebSocket: this.options.WebSocket, ...(onProgress ? { onProgress } : {}) });
  }


  async addDetected(input: string, name: string, detection: ServerDetection): Promise<ServerEntry> {
    return this.addEntry(entryFromDetection({ id: newServerId(this.servers), input, name, found: detection.found, nowMs: this.now() }));
  }

  /** Adds a server nothing answered for yet, with no endpoints: the app detects it until it answers. */
  async addToDetect(input: string, name: string, credentials: Credentials): Promise<ServerEntry> {
    return this.addEntry(entryFromDetection({ id: newServerId(this.servers), input: inputWithCredentials(input, credentials), name, found: [], nowMs: this.now() }));
  }

  /** Adds every protocol a discovered host advertises, with the credentials given, unless a configured server already reads it. */
  async addDiscovered(host: DiscoveredHost, credentials: Credentials = {}): Promise<ServerEntry> {
    const known = serverForDiscovered(this.servers, host);
    if (known) return known;
    return this.addEntry(entryFromDiscovery(host, newServerId(this.servers), this.now(), credentials));
  }

  updateServer(id: string, change: Partial<Pick<ServerEntry, 'name' | 'input' | 'endpoints'>>): Promise<void> {
    const { hub } = this.options.platform;
    return hub ? hub.updateServer(id, change) : this.saveSettings(updateServer(this.settings, id, change));
  }

  async removeServer(id: string): Promise<void> {
    await this.options.platform.hub?.removeServer(id);
    // The cards' alert overrides live here either way.
    await this.saveSettings(removeServer(this.settings, id));
  }

  /** The servers watched: the hub's (credentials masked) where one holds the fleet, else this app's settings. */
  get servers(): HubServer[] {
    return this.feed.hubStatus?.servers ?? this.settings.servers;
  }

  private async addEntry(entry: ServerEntry): Promise<ServerEntry> {
    const { hub } = this.options.platform;
    if (!hub) {
      await this.saveSettings(addServer(this.settings, entry));
      return entry;
    }
    const { id } = await hub.addServer({ input: entry.input, ...(entry.name ? { name: entry.name } : {}), endpoints: entry.endpoints });
    return { ...entry, id };
  }

  /** A list this browser kept before a hub held the fleet moves into the hub once, then leaves the browser. */
  private async moveServersToHub(hub: HubLink): Promise<void> {
    const older = this.settings.servers;
    if (older.length === 0) return;
    try {
      const { added } = await hub.importServers(older);
      await this.saveSettings({ ...this.settings, servers: [] });
      this.infoNotice = `The ${older.length} ${older.length === 1 ? 'server' : 'servers'} this browser kept ${older.length === 1 ? 'is' : 'are'} now in the hub's list (${added} new to it).`;
    } catch (error) {
      this.settingsNotice = `This browser's ${older.length} servers could not be moved into the hub yet (${(error as Error).message}); they stay here and are tried again next time.`;
    }
    this.notify();
  }

  dismissNotice(): void {
    this.settingsNotice = undefined;
    this.notify();
  }

  dismissInfo(): void {
    this.infoNotice = undefined;
    this.notify();
  }

  retryLocalAgent(): Promise<void> {
    return this.options.platform.localAgent?.retry() ?? Promise.resolve();
  }

  retrySource(sourceId: string): void {
    this.feed.retry(sourceId);
  }

  scanDiscovery(): Promise<void> {
    return this.options.platform.discovery.scan();
  }

  acknowledge(id: string): void {
    void this.options.platform.hub?.acknowledge(id);
    if (this.book.acknowledge(id, this.now())) this.afterAlertChange();
  }

  acknowledgeAll(): void {
    void this.options.platform.hub?.acknowledge();
    if (this.book.acknowledgeAll(this.now()) > 0) this.afterAlertChange();
  }

  dismissToast(id: string): void {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
    this.notify();
  }

  dismissToasts(): void {
    this.toasts = [];
    this.notify();
  }

  /** Every machine with its state, computed once per version. */
  rows(): HostRow[] {
    return this.rowCache().rows;
  }

  /** One machine's row, as `rows()` has it. */
  row(key: string): HostRow | undefined {
    return this.rowCache().byKey.get(key);
  }

  private rowCache(): { rows: HostRow[]; byKey: Map<string, HostRow> } {
    if (this.rowsCache?.version === this.versionNumber) return this.rowsCache;
    const nowMs = this.now();
    const rows = this.fleet.machines().map((machine) => {
      const alert = this.book.hostSeverity(machine.key, nowMs);
      const state = hostState(machine, { ...(alert ? { alert } : {}), pending: this.engine.pending(machine.key).length > 0 });
      return { machine, state, alerting: alert !== undefined };
    });
    this.rowsCache = { version: this.versionNumber, rows, byKey: new Map(rows.map((row) => [row.machine.key, row])) };
    return this.rowsCache;
  }

  /** Saves what a later detection found into its entry, exactly as "Add server" would have; the sync then connects. */
  private async saveDetected(id: string, input: string, found: Detection[]): Promise<void> {
    const entry = this.settings.servers.find((candidate) => candidate.id === id);
    // The entry may have been removed or given another address while the last round ran.
    if (!entry || entry.input !== input || entry.endpoints.length > 0) return;
    try {
      await this.updateServer(id, { endpoints: detectedEndpoints(found) });
    } catch (error) {
      this.feed.detectionFailed(id, `Found it, but could not save it: ${(error as Error).message}`);
    }
  }

  private setLocalAgent(status: LocalAgentStatus): void {
    const before = JSON.stringify(this.localAgent?.connect ?? []);
    this.localAgent = status;
    if (JSON.stringify(status.connect) !== before) this.syncSources();
    else this.notify();
  }

  private syncSources(): void {
    this.feed.sync(sourceSpecs(this.settings, this.localAgent));
    if (this.route.view === 'host') this.feed.watchProcesses(this.fleet.machine(this.route.hostKey)?.sourceId);
    this.dirty.add('*');
    this.notify();
  }

  /** A hub runs the alerts: the page shows its list and rules, and raises what it raised. */
  private onHubMessage(message: HubMessage): void {
    if (message.alerting) {
      this.book.restore(message.alerting.alerts);
      const hub = this.options.platform.hub;
      // Rules this app kept before a hub ran them go to a hub that has only the defaults, once.
      if (message.kind === 'snapshot' && hub && !this.rulesOffered && isDefaultRules(message.alerting.rules) && !isDefaultRules(this.settings.alerts)) void hub.setRules(this.settings.alerts);
      else this.settings = { ...this.settings, alerts: message.alerting.rules };
      this.rulesOffered = true;
      this.afterAlertChange();
    }
    for (const notification of (message.kind === 'delta' ? message.notifications : undefined) ?? []) this.raise(notification);
  }

  private onFleetChange(change: FleetChange): void {
    if (change.kind === 'sample') this.dirty.add(change.machineKey);
    if (change.kind === 'event' && change.entry.event.kind === 'alert' && !this.options.platform.hub) {
      const notification = this.book.addServerAlert(change.machineKey, change.hostName, change.entry.event, this.now());
      if (notification) this.raise(notification);
    }
    this.scheduleTick();
  }

  private scheduleTick(): void {
    this.tickTimer ??= setTimeout(() => {
      this.tickTimer = undefined;
      this.tick();
    }, this.options.renderIntervalMs ?? 500);
  }

  /** Runs the alert rules on every machine that got a reading since the last tick (unless a hub runs them), then re-renders. */
  private tick(): void {
    if (this.options.platform.hub) {
      this.dirty.clear();
      this.watchRouteProcesses();
      this.afterAlertChange();
      return;
    }
    const nowMs = this.now();
    const machines = this.fleet.machines();
    const keys = new Set(machines.map((machine) => machine.key));
    for (const key of this.knownKeys) {
      if (keys.has(key)) continue;
      this.engine.forget(key, nowMs);
      this.book.forgetHost(key);
    }
    this.knownKeys = keys;
    this.watchRouteProcesses();
    const { rules, overrides } = this.settings.alerts;
    for (const machine of machines) {
      if (!this.dirty.has(machine.key) && !this.dirty.has('*')) continue;
      const sample = machine.status === 'online' ? machine.sample : undefined;
      if (!sample) continue;
      const transitions = this.engine.evaluate(machine.key, effectiveRules(rules, overrides, machine.key), (metric) => metricValue(metric, sample, machine.info), nowMs);
      for (const transition of transitions) {
        const notification = this.book.applyTransition(transition, machine.local ? `This computer (${machine.name})` : machine.name);
        if (notification) this.raise(notification);
      }
    }
    this.dirty.clear();
    this.afterAlertChange();
  }

  private raise(notification: AppNotification): void {
    this.options.platform.notify(notification);
    const toast: Toast = { ...notification, atMs: this.now() };
    // One summary shows them: the newest, and how many more; the Alerts page holds every one.
    this.toasts = [...this.toasts.filter((known) => known.id !== toast.id), toast].slice(-MAX_TOASTS);
    setTimeout(() => this.dismissToast(toast.id), this.options.toastMs ?? 10_000);
  }

  private afterAlertChange(): void {
    this.notify();
    this.schedulePublish();
  }

  private schedulePublish(): void {
    if (this.publishTimer) return;
    const waitMs = Math.max(0, this.lastPublishAtMs + (this.options.publishIntervalMs ?? 2000) - this.now());
    this.publishTimer = setTimeout(() => {
      this.publishTimer = undefined;
      this.publish();
    }, waitMs);
  }

  private publish(): void {
    const snapshot = fleetSnapshot(this.rows());
    const text = JSON.stringify(snapshot);
    if (text === this.lastPublished) return;
    this.lastPublished = text;
    this.lastPublishAtMs = this.now();
    this.options.platform.publishFleet(snapshot);
  }

  private notify(): void {
    this.versionNumber += 1;
    for (const listener of this.listeners) listener();
  }
}

function isDefaultRules(rules: RuleSet): boolean {
  return Object.keys(rules.overrides).length === 0 && JSON.stringify(rules.rules) === JSON.stringify(DEFAULT_ALERT_RULES);
}
