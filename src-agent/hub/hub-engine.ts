// The hub's fleet: the same engine a page used to run (fleet/), now under Node with `ws`, so no browser
// caps its connections. Once a second it records every new reading into the history store and tells each
// listening page what changed: the machines whose view differs from the one last sent, those that left,
// and the events servers raised. Servers with no endpoints yet are detected until they answer; what was
// found goes into the server book.

import type { BackoffPolicy } from '../../proto/connection';
import { detectedEndpoints, type Attempt } from '../../proto/detect';
import type { Endpoint } from '../../proto/client';
import { withoutCredentials } from '../../proto/target';
import { LOCAL_NAME, LOCAL_SOURCE_ID, localEndpoints } from '../../fleet/server-entry';
import type { WebSocketConstructor } from '../../proto/transport';
import { nodeHttpGet } from '../net/http-get';
import { ConnectionPool } from '../../fleet/connection-pool';
import { detectServer, type Credentials, type ServerDetection } from '../../fleet/detect-server';
import { Fleet, type PastColumns, type SourceSpec } from '../../fleet/fleet';
import type { RuleSet } from '../../fleet/alerts/rules';
import { sameMachines } from '../../fleet/same-machine';
import { hostView, type HostReading, type HostView, type HubAlertState, type HubEvent, type HubMessage, type HubStatus } from '../../fleet/hub-view';
import type { Sample } from '../../proto/model';
import type { HistoryStore } from './history/history-store';
import type { HubAlerts } from './hub-alerts';
import type { ServerBook } from './server-book';

const RECENT_EVENTS = 200;

export interface HubEngineOptions {
  WebSocket: WebSocketConstructor;
  store: HistoryStore;
  servers: ServerBook;
  alerts: HubAlerts;
  /** The agent beside the hub, shown as "This computer": its ready-to-connect endpoints. */
  localAgent?: readonly Endpoint[];
  now?: () => number;
  /** How often changes reach pages and readings reach the store. */
  tickMs?: number;
  /**
   * How often the store writes to disk: what a kill -9 may lose. Each write re-encodes every host's minute
   * so far, so with 1,000 hosts every 2 s cost a fifth of the hub's CPU; every 5 s costs less than half that.
   */
  flushMs?: number;
  pruneMs?: number;
  backoff?: BackoffPolicy;
}

export type HubListener = (message: HubMessage) => void;

export class HubEngine {
  readonly fleet: Fleet;
  private readonly pool: ConnectionPool;
  private readonly now: () => number;
  /** Each machine as last sent: a hash of its view (a string per host would live a second and burden the old heap), the fleet's revision it was built at, its sample. */
  private readonly sent = new Map<string, { hash: number; revision: number; pending: boolean; sameAs: string | undefined; sample: Sample | undefined }>();
  /** Machines that are another one read through another server, to the one shown (fleet/same-machine.ts). */
  private shownAs = new Map<string, string>();
  private hidden: ReadonlySet<string> = new Set();
  private readonly recordedAt = new Map<string, number>();
  /** Machines whose history a backfill changed since the last tick. */
  private readonly filled = new Set<string>();
  private readonly recentEvents: HubEvent[] = [];
  /** What to look at next tick: every machine after a change of structure, else only sources with readings. */
  private structureChanged = true;
  private readonly sourcesWithReadings = new Set<string>();
  private syncPending = false;
  private stopped = false;
  private newEvents: HubEvent[] = [];
  private readonly listeners = new Set<HubListener>();
  private status: HubStatus = { servers: [], problems: [] };
  private statusChanged = false;
  private readonly timers: ReturnType<typeof setInterval>[] = [];

  constructor(private readonly options: HubEngineOptions) {
    this.now = options.now ?? Date.now;
    this.fleet = new Fleet({
      now: this.now,
      onChange: (change) => {
        if (change.kind === 'structure') this.structureChanged = true;
        if (change.kind === 'sample') this.sourcesWithReadings.add(change.sourceId);
        if (change.kind === 'history') this.backfill(change.machineKey, change.readings);
        if (change.kind !== 'event') return;
        if (change.entry.event.kind === 'alert') this.options.alerts.serverAlert(change.machineKey, change.hostName, change.entry.event);
        const event: HubEvent = { key: change.machineKey, hostName: change.hostName, entry: change.entry };
        this.newEvents.push(event);
        this.recentEvents.push(event);
        if (this.recentEvents.length > RECENT_EVENTS) this.recentEvents.shift();
      },
    });
    this.pool = new ConnectionPool({
      fleet: this.fleet,
      WebSocket: options.WebSocket,
      httpGet: nodeHttpGet,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      onDetected: (id, input, found) => {
        this.options.servers.detected(id, input, detectedEndpoints(found));
        this.serversChanged();
      },
    });
  }

  start(): void {
    this.timers.push(
      setInterval(() => this.tick(), this.options.tickMs ?? 1000),
      setInterval(() => {
        this.options.store.flush();
        this.options.alerts.save();
      }, this.options.flushMs ?? 5000),
      setInterval(() => this.options.store.prune(), this.options.pruneMs ?? 10 * 60_000),
    );
    this.options.store.prune();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.pool.stopAll();
    this.listeners.clear();
    this.options.alerts.save();
  }

  /** The servers file was read (again): what it says about its lines. */
  setFileStatus(status: Pick<HubStatus, 'serversFrom' | 'problems'>): void {
    this.setStatus({ ...this.status, ...status });
  }

  /** Watches exactly the book's servers; one whose endpoints are unchanged keeps its connections. */
  serversChanged(): void {
    // A thousand detections finishing together make one sync, not a thousand of a thousand servers each.
    if (this.syncPending) return;
    this.syncPending = true;
    setImmediate(() => {
      this.syncPending = false;
      if (this.stopped) return;
      this.setStatus({ ...this.status, servers: this.options.servers.views() });
      this.sync();
    });
  }

  /** Everything a page needs to start, then every change through `listener` until it unsubscribes. */
  subscribe(listener: HubListener): () => void {
    listener(this.snapshot());
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): HubMessage {
    return { kind: 'snapshot', hosts: this.fleet.machines().map((machine) => hostView(machine, this.fleet.columns(machine), this.options.alerts.pending(machine.key), this.shownAs.get(machine.key))), events: [...this.recentEvents], status: this.status, alerting: this.alerting() };
  }

  /** "Add server" run here, through the same sockets (and pins) the hub's connections use. */
  detect(input: string, credentials: Credentials, onProgress?: (attempts: readonly Attempt[]) => void): Promise<ServerDetection> {
    return detectServer(input, credentials, { WebSocket: this.options.WebSocket, httpGet: nodeHttpGet, ...(onProgress ? { onProgress } : {}) });
  }

  /** Acknowledges one alert, or every active one; pages hear of it at the next tick. */
  acknowledge(id: string | undefined): number {
    return this.options.alerts.acknowledge(id);
  }

  setRules(rules: RuleSet): void {
    this.options.alerts.setRules(rules);
  }

  retry(sourceId: string): void {
    this.pool.retry(sourceId);
  }

  /** Streams processes only for the source a page shows. */
  watchProcesses(sourceId: string | undefined): void {
    this.pool.watchProcesses(sourceId);
  }

  get connections(): number {
    return this.pool.size;
  }

  /** Records new readings and sends what changed; public so tests can step it. */
  tick(): void {
    this.followHistoryProblem();
    let everything = this.structureChanged;
    let machines = everything ? this.fleet.machines() : [...this.sourcesWithReadings].flatMap((sourceId) => this.fleet.sourceMachines(sourceId));
    // Which machines are the same one changes only with a view (a hostname, a first reading's uptime): look again then.
    if (everything || machines.some((machine) => this.sent.get(machine.key)?.revision !== this.fleet.revision(machine))) {
      const all = everything ? machines : this.fleet.machines();
      const shownAs = sameMachines(all);
      if (!sameLinks(shownAs, this.shownAs)) {
        this.options.alerts.hide([...shownAs.keys()].filter((key) => !this.shownAs.has(key)));
        this.shownAs = shownAs;
        this.hidden = new Set(shownAs.keys());
        everything = true;
        machines = all;
      }
    }
    this.structureChanged = false;
    this.sourcesWithReadings.clear();
    const present = new Set<string>();
    const withNewReading = new Set<string>();
    for (const machine of machines) {
      present.add(machine.key);
      const sample = machine.status === 'online' ? machine.sample : undefined;
      if (!sample || sample.timeMs <= (this.recordedAt.get(machine.key) ?? -Infinity)) continue;
      this.recordedAt.set(machine.key, sample.timeMs);
      withNewReading.add(machine.key);
      this.options.store.record(machine.key, sample.timeMs, this.fleet.sampleColumns(machine) ?? {});
    }
    const { alerts } = this.options;
    // The rules first: a host heading for an alert says so in the view sent this same tick.
    alerts.evaluate(machines, withNewReading, this.hidden);
    const upserts: HostView[] = [];
    const readings: HostReading[] = [];
    for (const machine of machines) {
      const sent = this.sent.get(machine.key);
      const revision = this.fleet.revision(machine);
      const pending = alerts.pending(machine.key);
      const sameAs = this.shownAs.get(machine.key);
      if (sent && sent.revision === revision && sent.pending === pending && sent.sameAs === sameAs) {
        if (machine.sample && machine.sample !== sent.sample) readings.push({ key: machine.key, sample: machine.sample });
        sent.sample = machine.sample;
        continue;
      }
      const view = hostView(machine, this.fleet.columns(machine), pending, sameAs);
      const hash = hashText(JSON.stringify(view));
      this.sent.set(machine.key, { hash, revision, pending, sameAs, sample: machine.sample });
      if (sent?.hash !== hash) upserts.push(view);
    }
    const removed = everything ? [...this.sent.keys()].filter((key) => !present.has(key)) : [];
    for (const key of removed) {
      this.sent.delete(key);
      this.recordedAt.delete(key);
    }
    alerts.forget(removed);
    const notifications = alerts.takeNotifications();
    const alertsChanged = alerts.takeChanged();
    const events = this.newEvents;
    this.newEvents = [];
    const backfilled = [...this.filled];
    this.filled.clear();
    if (upserts.length === 0 && readings.length === 0 && removed.length === 0 && events.length === 0 && backfilled.length === 0 && !this.statusChanged && !alertsChanged && notifications.length === 0) return;
    const message: HubMessage = {
      kind: 'delta',
      upserts,
      readings,
      removed,
      events,
      ...(this.statusChanged ? { status: this.status } : {}),
      ...(alertsChanged ? { alerting: this.alerting() } : {}),
      ...(notifications.length > 0 ? { notifications } : {}),
      ...(backfilled.length > 0 ? { backfilled } : {}),
    };
    this.statusChanged = false;
    for (const listener of this.listeners) listener(message);
  }

  /** A backfill goes to the store now, and pages showing that machine fetch their windows again. */
  private backfill(machineKey: string, readings: PastColumns[]): void {
    const added = this.options.store.backfill(machineKey, readings);
    if (added > 0) this.filled.add(machineKey);
  }

  private alerting(): HubAlertState {
    return { alerts: this.options.alerts.entries(), rules: this.options.alerts.ruleSet };
  }

  /** Pages show whether history is being written, as the store reports it. */
  private followHistoryProblem(): void {
    const problem = this.options.store.writeProblem;
    if (problem === this.status.historyProblem) return;
    const { historyProblem: _old, ...rest } = this.status;
    this.setStatus(problem ? { ...rest, historyProblem: problem } : rest);
  }

  private setStatus(status: HubStatus): void {
    this.status = status;
    this.statusChanged = true;
  }

  private sync(): void {
    const specs: SourceSpec[] = this.options.servers.entries().map((server) => ({
      id: server.id,
      name: server.name ?? withoutCredentials(server.input),
      local: false,
      endpoints: server.endpoints,
      ...(server.tags ? { tags: server.tags } : {}),
      ...(server.endpoints.length === 0 ? { detectInput: server.input } : {}),
    }));
    const local = localEndpoints(this.options.localAgent ?? []);
    if (local.length > 0) specs.unshift({ id: LOCAL_SOURCE_ID, name: LOCAL_NAME, local: true, endpoints: local });
    this.pool.sync(specs);
  }
}

function sameLinks(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, shown] of a) if (b.get(key) !== shown) return false;
  return true;
}

/** cyrb53: a fast 53-bit string hash; a collision would only delay one update of one host. */
function hashText(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
