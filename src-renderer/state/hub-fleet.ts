// The fleet as a hub streams it: machine views applied from the snapshot and each delta, the live readings
// kept in a page-sized history, older history fetched from the hub's store when a view first asks for a
// span it lacks (a few requests at a time), and server events in one log per machine. Opens no socket.

import { EventLog, type LoggedEvent, type TaskRecord } from '../../fleet/event-log';
import type { FleetChange, FleetReader, Machine } from '../../fleet/fleet';
import { HistoryTable, type HistoryLimits, type Point } from '../../fleet/history-table';
import type { HostView, HubEvent, HubMessage, HubStatus } from '../../fleet/hub-view';
import { sampleColumns } from '../../fleet/sample-columns';
import type { HubLink } from '../platform/platform';

export interface HubFleetOptions {
  link: Pick<HubLink, 'history'>;
  now: () => number;
  onChange(change: FleetChange): void;
  historyLimits?: HistoryLimits;
  /** Points asked of the hub per window: about one per pixel column of the widest chart. */
  windowPoints?: number;
  /** Windows fetched at once; more wait their turn. */
  maxLoads?: number;
}

/** The page keeps the last minutes of each host for sparklines and live charts; longer spans come from the hub's store. */
const LIVE_HISTORY: HistoryLimits = { retentionMs: 10 * 60_000, initialRows: 16, maxRows: 1024, maxColumns: 160 };

interface StoredWindow {
  fromMs: number;
  toMs: number;
  /** Width of one point: a window asked of a narrower span needs finer points. */
  stepMs: number;
  series: Map<string, Point[]>;
}

/** A span a view asked for. */
interface Span {
  fromMs: number;
  toMs: number;
}

export class HubFleet implements FleetReader {
  status: HubStatus = { servers: [], problems: [] };
  private readonly views = new Map<string, HostView>();
  /** Each view as a Machine, made once per view so that an unchanged host keeps its identity. */
  private readonly asMachines = new WeakMap<HostView, Machine>();
  private list: Machine[] | undefined;
  private readonly live = new Map<string, HistoryTable>();
  private readonly stored = new Map<string, StoredWindow>();
  private readonly wanted = new Map<string, Span>();
  private readonly revisions = new Map<string, number>();
  private readonly loading = new Set<string>();
  /** Per machine, the time before which its live readings may have gaps a backfill filled in the hub: read from there on stored windows. */
  private readonly liveTrustedFrom = new Map<string, number>();
  private readonly logs = new Map<string, EventLog>();

  constructor(private readonly options: HubFleetOptions) {}

  apply(message: HubMessage): void {
    if (message.kind === 'snapshot') {
      this.views.clear();
      this.logs.clear();
      for (const view of message.hosts) this.views.set(view.key, view);
      for (const key of this.live.keys()) if (!this.views.has(key)) this.forget(key);
      for (const view of message.hosts) this.record(view);
      for (const event of message.events) this.log(event);
      this.status = message.status;
      this.list = undefined;
      this.options.onChange({ kind: 'structure' });
      return;
    }
    for (const key of message.removed) {
      this.views.delete(key);
      this.forget(key);
    }
    let structure = message.removed.length > 0 || message.status !== undefined;
    for (const view of message.upserts) {
      const known = this.views.get(view.key);
      this.views.set(view.key, view);
      if (this.record(view)) this.options.onChange({ kind: 'sample', machineKey: view.key, sourceId: view.sourceId });
      if (!known || known.status !== view.status || known.name !== view.name) structure = true;
    }
    for (const { key, sample } of message.readings) {
      const known = this.views.get(key);
      if (!known) continue;
      const view = { ...known, sample };
      this.views.set(key, view);
      if (this.record(view)) this.options.onChange({ kind: 'sample', machineKey: key, sourceId: view.sourceId });
    }
    for (const key of message.backfilled ?? []) {
      if (!this.views.has(key)) continue;
      this.liveTrustedFrom.set(key, this.options.now());
      this.stored.delete(key);
      this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
      this.options.onChange({ kind: 'sample', machineKey: key, sourceId: this.views.get(key)!.sourceId });
    }
    if (message.status) this.status = message.status;
    this.list = undefined;
    for (const event of message.events) this.options.onChange({ kind: 'event', machineKey: event.key, entry: this.log(event), hostName: event.hostName });
    if (structure) this.options.onChange({ kind: 'structure' });
  }

  machines(): Machine[] {
    this.list ??= [...this.views.values()].map((view) => this.asMachine(view));
    return this.list;
  }

  machine(key: string): Machine | undefined {
    const view = this.views.get(key);
    return view ? this.asMachine(view) : undefined;
  }

  series(machine: Machine, column: string, sinceMs?: number, untilMs = Infinity): Point[] {
    const trustedFrom = this.liveTrustedFrom.get(machine.key);
    const allLive = this.live.get(machine.key)?.points(column, sinceMs === undefined || trustedFrom === undefined ? sinceMs : Math.max(sinceMs, trustedFrom)) ?? [];
    const live = untilMs === Infinity ? allLive : allLive.filter((point) => point.x <= untilMs);
    if (sinceMs === undefined) return live;
    const liveFrom = allLive[0]?.x ?? Infinity;
    // Readings the page holds from before the span's start: nothing older is needed.
    if (liveFrom <= sinceMs + 1000) return live;
    const endMs = Math.min(untilMs, liveFrom);
    if (!this.covers(this.stored.get(machine.key), sinceMs, endMs)) this.want(machine.key, { fromMs: sinceMs, toMs: Math.min(untilMs, this.options.now()) });
    const older = this.stored.get(machine.key)?.series.get(column);
    if (!older) return live;
    return [...older.filter((point) => point.x >= sinceMs && point.x < endMs), ...live];
  }

  storedRevision(machine: Machine): number {
    return this.revisions.get(machine.key) ?? 0;
  }

  /** Whether a stored window holds [fromMs, toMs) at about a point per pixel column of it. */
  private covers(stored: StoredWindow | undefined, fromMs: number, toMs: number): boolean {
    if (!stored) return false;
    const slackMs = Math.max(60_000, stored.stepMs);
    const neededStepMs = Math.max(1000, (toMs - fromMs) / this.windowPoints);
    return stored.fromMs <= fromMs + slackMs && stored.toMs >= Math.min(toMs, this.options.now()) - slackMs && stored.stepMs <= neededStepMs * 2;
  }

  columns(machine: Machine): Set<string> {
    return new Set([...(this.views.get(machine.key)?.columns ?? []), ...(this.live.get(machine.key)?.keys() ?? [])]);
  }

  events(machine: Machine): LoggedEvent[] {
    return this.logs.get(machine.key)?.events(() => true) ?? [];
  }

  tasks(machine: Machine): TaskRecord[] {
    return this.logs.get(machine.key)?.tasks(() => true) ?? [];
  }

  /** Keeps a new reading in the page's own history; true when there was one. */
  private record(view: HostView): boolean {
    const sample = view.status === 'online' ? view.sample : undefined;
    if (!sample) return false;
    let table = this.live.get(view.key);
    if (!table) this.live.set(view.key, (table = new HistoryTable(this.options.historyLimits ?? LIVE_HISTORY)));
    return table.push(sample.timeMs, sampleColumns(sample, view.info));
  }

  /** Whether the hub says a rule is heading for an alert on this host. */
  alertPending(key: string): boolean {
    return this.views.get(key)?.alertPending === true;
  }

  private asMachine(view: HostView): Machine {
    let machine = this.asMachines.get(view);
    if (!machine) {
      const { columns: _columns, alertPending: _pending, ...rest } = view;
      this.asMachines.set(view, (machine = { ...rest, parts: [] }));
    }
    return machine;
  }

  private log(event: HubEvent): LoggedEvent {
    let log = this.logs.get(event.key);
    if (!log) this.logs.set(event.key, (log = new EventLog()));
    return log.add(event.entry.protocol, event.entry.hostId, event.entry.event);
  }

  private forget(key: string): void {
    this.live.delete(key);
    this.stored.delete(key);
    this.wanted.delete(key);
    this.revisions.delete(key);
    this.liveTrustedFrom.delete(key);
  }

  private get windowPoints(): number {
    return this.options.windowPoints ?? 800;
  }

  /** Asks the hub for a span; a later ask for the same host replaces one still waiting. */
  private want(key: string, span: Span): void {
    if (this.loading.has(key)) return;
    this.wanted.set(key, span);
    this.pump();
  }

  private pump(): void {
    const maxLoads = this.options.maxLoads ?? 4;
    for (const [key, span] of this.wanted) {
      if (this.loading.size >= maxLoads) return;
      this.wanted.delete(key);
      this.loading.add(key);
      void this.load(key, span).finally(() => {
        this.loading.delete(key);
        this.pump();
      });
    }
  }

  private async load(key: string, { fromMs, toMs }: Span): Promise<void> {
    try {
      const window = await this.options.link.history(key, fromMs, toMs, this.windowPoints);
      const series = new Map(Object.entries(window.series).map(([column, points]) => [column, points.t.map((x, index) => ({ x, y: points.mean[index]! }))]));
      if (this.views.has(key)) this.stored.set(key, { fromMs, toMs, stepMs: window.stepMs, series });
    } catch {
      // The hub is away or refused: charts show the live readings until another span is asked for.
      if (this.views.has(key)) this.stored.set(key, { fromMs, toMs, stepMs: 1000, series: new Map() });
    }
    this.revisions.set(key, (this.revisions.get(key) ?? 0) + 1);
    this.options.onChange({ kind: 'sample', machineKey: key, sourceId: this.views.get(key)?.sourceId ?? key });
  }

}
