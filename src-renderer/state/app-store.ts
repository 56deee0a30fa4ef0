// The app's state in one place: settings, the local agent, discovery, the fleet as the hub streams it, the
// alert list and rules the hub runs, toasts and the current view. Data changes are batched into one
// notification per tick so a thousand hosts at 1 Hz re-render a few times a second. No React and no DOM here.

import type { Attempt } from '../../proto/detect';
import type { DiscoveredHost, DiscoveryState } from '../../proto/discovery';
import type { AppNotification, FleetHostState, HubLink, LocalAgentStatus, Platform, Unsubscribe } from '../platform/platform';
import { DEFAULT_ALERT_RULES, defaultSettings, type ServerEntry, type Settings } from '../platform/settings';
import type { RuleSet } from '../../fleet/alerts/rules';
import { AlertBook } from '../../fleet/alerts/alert-book';
import type { FleetReader, Machine } from '../../fleet/fleet';
import type { HubMessage, HubServer, HubStatus } from '../../fleet/hub-view';
import type { HistoryLimits } from '../../fleet/history-table';
import { newServerId } from '../../fleet/server-entry';
import { hubFeed, type FleetFeed } from './fleet-feed';
import { fleetSnapshot, hostState } from './host-state';
import type { Credentials, ServerDetection } from '../../fleet/detect-server';
import { entryFromDetection, entryFromDiscovery, inputWithCredentials, removeServer, serverForDiscovered } from './servers';

export type Route = { view: 'overview' } | { view: 'host'; hostKey: string } | { view: 'servers' } | { view: 'discovery' } | { view: 'alerts' } | { view: 'rules' };

export interface Toast extends AppNotification {
  atMs: number;
}

export interface HostRow {
  machine: Machine;
  state: FleetHostState;
}

export interface AppStoreOptions {
  platform: Platform;
  now?: () => number;
  /** How often batched data changes reach the views. */
  renderIntervalMs?: number;
  /** At most one fleet snapshot to the shell per this interval. */
  publishIntervalMs?: number;
  toastMs?: number;
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
  private readonly feed: FleetFeed;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly now: () => number;
  private versionNumber = 0;
  private tickTimer: ReturnType<typeof setTimeout> | undefined;
  private publishTimer: ReturnType<typeof setTimeout> | undefined;
  private lastPublished = '';
  private lastPublishAtMs = -Infinity;
  private rowsCache: { version: number; rows: HostRow[]; shown: HostRow[]; byKey: Map<string, HostRow> } | undefined;
  private rulesOffered = false;
  private watchedSource: string | undefined;

  constructor(private readonly options: AppStoreOptions) {
    this.now = options.now ?? Date.now;
    const feedOptions = {
      now: this.now,
      onChange: () => this.onFleetChange(),
      onHubMessage: (message: HubMessage) => this.onHubMessage(message),
      ...(options.historyLimits ? { historyLimits: options.historyLimits } : {}),
    };
    this.feed = hubFeed(options.platform.hub, feedOptions);
    this.fleet = this.feed.reader;
  }

  /** What the hub holding the fleet says of itself. */
  get hubStatus(): HubStatus {
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
    this.notify();
    await this.moveServersToHub(platform.hub);
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
    if (JSON.stringify(next.alerts) !== JSON.stringify(this.settings.alerts)) await this.options.platform.hub.setRules(next.alerts);
    await this.options.platform.saveSettings(next);
    this.settings = next;
    this.settingsNotice = undefined;
    this.notify();
  }

  /** Runs "Add server" detection in the hub, each try reported as it goes; throws TargetError for a bad address. */
  detect(input: string, credentials: Credentials, onProgress?: (attempts: readonly Attempt[]) => void): Promise<ServerDetection> {
    return this.options.platform.hub.detect(input, credentials, onProgress);
  }


  async addDetected(input: string, name: string, detection: ServerDetection, tags: string[] = []): Promise<ServerEntry> {
    const entry = entryFromDetection({ id: newServerId(this.servers), input, name, found: detection.found, nowMs: this.now() });
    return this.addEntry(tags.length > 0 ? { ...entry, tags } : entry);
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

  updateServer(id: string, change: Partial<Pick<ServerEntry, 'name' | 'input' | 'endpoints' | 'tags'>>): Promise<void> {
    return this.options.platform.hub.updateServer(id, change);
  }

  async removeServer(id: string): Promise<void> {
    await this.options.platform.hub.removeServer(id);
    // Its alert overrides go with it.
    await this.saveSettings(removeServer(this.settings, id));
  }

  /** The servers the hub watches, credentials masked. */
  get servers(): HubServer[] {
    return this.feed.hubStatus.servers;
  }

  private async addEntry(entry: ServerEntry): Promise<ServerEntry> {
    const { id } = await this.options.platform.hub.addServer({ input: entry.input, ...(entry.name ? { name: entry.name } : {}), ...(entry.tags ? { tags: entry.tags } : {}), endpoints: entry.endpoints });
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
    void this.options.platform.hub.acknowledge(id);
    if (this.book.acknowledge(id, this.now())) this.afterAlertChange();
  }

  acknowledgeAll(): void {
    void this.options.platform.hub.acknowledge();
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

  /** Each machine once: one read through several servers counts and shows as the one the hub picked (fleet/same-machine.ts). */
  shownRows(): HostRow[] {
    return this.rowCache().shown;
  }

  /** One machine's row, as `rows()` has it. */
  row(key: string): HostRow | undefined {
    return this.rowCache().byKey.get(key);
  }

  private rowCache(): { rows: HostRow[]; shown: HostRow[]; byKey: Map<string, HostRow> } {
    if (this.rowsCache?.version === this.versionNumber) return this.rowsCache;
    const nowMs = this.now();
    const rows = this.fleet.machines().map((machine) => {
      const alert = this.book.hostSeverity(machine.key, nowMs);
      const state = hostState(machine, { ...(alert ? { alert } : {}), pending: this.feed.alertPending(machine.key) });
      return { machine, state };
    });
    const byKey = new Map(rows.map((row) => [row.machine.key, row]));
    const shown = rows.filter((row) => row.machine.sameAs === undefined || !byKey.has(row.machine.sameAs));
    this.rowsCache = { version: this.versionNumber, rows, shown, byKey };
    return this.rowsCache;
  }

  private setLocalAgent(status: LocalAgentStatus): void {
    this.localAgent = status;
    this.notify();
  }

  /** A hub runs the alerts: the page shows its list and rules, and raises what it raised. */
  private onHubMessage(message: HubMessage): void {
    if (message.alerting) {
      this.book.restore(message.alerting.alerts);
      const { hub } = this.options.platform;
      // Rules this app kept before a hub ran them go to a hub that has only the defaults, once.
      if (message.kind === 'snapshot' && !this.rulesOffered && isDefaultRules(message.alerting.rules) && !isDefaultRules(this.settings.alerts)) void hub.setRules(this.settings.alerts);
      else this.settings = { ...this.settings, alerts: message.alerting.rules };
      this.rulesOffered = true;
      this.afterAlertChange();
    }
    for (const notification of (message.kind === 'delta' ? message.notifications : undefined) ?? []) this.raise(notification);
  }

  private onFleetChange(): void {
    this.scheduleTick();
  }

  private scheduleTick(): void {
    this.tickTimer ??= setTimeout(() => {
      this.tickTimer = undefined;
      this.watchRouteProcesses();
      this.afterAlertChange();
    }, this.options.renderIntervalMs ?? 500);
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
    const snapshot = fleetSnapshot(this.shownRows());
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
