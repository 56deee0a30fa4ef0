// The hub's history on disk: one SQLite file (node:sqlite, WAL) in three tiers, as Netdata keeps them:
// per-second samples (one row per host and minute, chunk-codec.ts), per-minute and per-hour min/mean/max
// (one row per host and minute or hour). Samples collect in memory; each flush writes, in one transaction,
// the seconds of the current minute not written yet as a small fragment (`recent`), and each finished
// minute whole, with its aggregates, in place of its fragments. A kill -9 loses at most the last flush
// interval and never leaves a half-written row; the next start makes whole minutes of the fragments.
// Rewriting every host's growing minute at each flush cost most of the hub's writes and a fifth of its
// CPU. A database that cannot be written (a full disk, a read-only dir) is reported once; recording goes
// on in memory for the current minute and live monitoring is untouched.

import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { HistoryTier as Tier, HistoryWindow } from '../../../fleet/hub-view';
import { addAggregates, aggregateMinute, appendMinute, decodeAggregates, decodeMinute, encodeAggregates, encodeMinute, mergeMinute, minuteFrom, Rollup, type Aggregate, type MinuteRows } from './chunk-codec';
import { WindowBuckets, type ColumnBuckets } from './window-buckets';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** How long each tier is kept. */
export interface Retention {
  secondsMs: number;
  minutesMs: number;
  hoursMs: number;
}

export const DEFAULT_RETENTION: Retention = { secondsMs: DAY_MS, minutesMs: 30 * DAY_MS, hoursMs: 365 * DAY_MS };


export interface HistoryStoreOptions {
  file: string;
  retention?: Retention;
  now?: () => number;
  /** A message when writing starts failing, undefined when it works again. */
  onProblem?(message: string | undefined): void;
}

/** A reading a host reports after the fact (a backfill): its figures over `spanMs` from `timeMs`. */
export interface PastReading {
  timeMs: number;
  spanMs: number;
  values: Readonly<Record<string, number | undefined>>;
}

/** The hour a host's minutes are rolling into, so far. */
interface HourRollup {
  hour: number;
  rollups: Map<number, Rollup>;
}

interface PendingMinute {
  hostId: number;
  minute: number;
  rows: MinuteRows;
  /** Rows already on disk (in the seconds row it started from, or in fragments). */
  written: number;
  /** The next fragment's number. */
  part: number;
}

export class HistoryStore {
  private readonly db: DatabaseSync | undefined;
  private readonly hostIds = new Map<string, number>();
  private readonly columnIds = new Map<string, number>();
  private readonly columnNames = new Map<number, string>();
  private readonly pending = new Map<number, PendingMinute>();
  private finished: PendingMinute[] = [];
  private readonly hourRollups = new Map<number, HourRollup>();
  private readonly retention: Retention;
  private readonly now: () => number;
  private problem: string | undefined;
  private readonly statements: Record<'insertHost' | 'insertColumn' | 'readMinute' | 'writeMinute' | 'writeFragment' | 'dropFragments' | 'readAggregateMinute' | 'writeAggregateMinute' | 'readHourMinutes' | 'readHour' | 'writeHour', StatementSync> | undefined;

  constructor(private readonly options: HistoryStoreOptions) {
    this.retention = options.retention ?? DEFAULT_RETENTION;
    this.now = options.now ?? Date.now;
    try {
      const db = new DatabaseSync(options.file);
      db.exec(`PRAGMA page_size = 16384;
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS hosts (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS columns (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS seconds (host INTEGER NOT NULL, minute INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (host, minute)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS minutes (host INTEGER NOT NULL, minute INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (host, minute)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS hours (host INTEGER NOT NULL, hour INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (host, hour)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS recent (minute INTEGER NOT NULL, host INTEGER NOT NULL, part INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (minute, host, part)) WITHOUT ROWID;`);
      for (const row of db.prepare('SELECT id, key FROM hosts').all()) this.hostIds.set(String(row.key), Number(row.id));
      for (const row of db.prepare('SELECT id, name FROM columns').all()) this.remember(String(row.name), Number(row.id));
      this.statements = {
        insertHost: db.prepare('INSERT INTO hosts (key) VALUES (?) RETURNING id'),
        insertColumn: db.prepare('INSERT INTO columns (name) VALUES (?) RETURNING id'),
        readMinute: db.prepare('SELECT data FROM seconds WHERE host = ? AND minute = ?'),
        writeMinute: db.prepare('INSERT OR REPLACE INTO seconds (host, minute, data) VALUES (?, ?, ?)'),
        writeFragment: db.prepare('INSERT OR REPLACE INTO recent (minute, host, part, data) VALUES (?, ?, ?, ?)'),
        dropFragments: db.prepare('DELETE FROM recent WHERE minute = ? AND host = ?'),
        readAggregateMinute: db.prepare('SELECT 1 AS found FROM minutes WHERE host = ? AND minute = ?'),
        writeAggregateMinute: db.prepare('INSERT OR REPLACE INTO minutes (host, minute, data) VALUES (?, ?, ?)'),
        readHourMinutes: db.prepare('SELECT data FROM minutes WHERE host = ? AND minute >= ? AND minute < ?'),
        readHour: db.prepare('SELECT 1 AS found FROM hours WHERE host = ? AND hour = ?'),
        writeHour: db.prepare('INSERT OR REPLACE INTO hours (host, hour, data) VALUES (?, ?, ?)'),
      };
      this.db = db;
      this.recoverFragments();
    } catch (error) {
      this.report(`History cannot be kept in ${options.file}: ${(error as Error).message}. Live monitoring goes on without it.`);
    }
  }

  /** Takes one host's reading; two in the same second keep the later. */
  record(key: string, timeMs: number, values: Readonly<Record<string, number | undefined>>): void {
    if (!this.db) return;
    try {
      this.recordRow(key, timeMs, values);
    } catch (error) {
      this.writeFailed(error as Error);
    }
  }

  private recordRow(key: string, timeMs: number, values: Readonly<Record<string, number | undefined>>): void {
    const hostId = this.hostId(key);
    const minute = Math.floor(timeMs / MINUTE_MS);
    const second = Math.floor((timeMs - minute * MINUTE_MS) / 1000);
    let pending = this.pending.get(hostId);
    if (pending && pending.minute !== minute) {
      if (minute < pending.minute) return;
      this.finished.push(pending);
      pending = undefined;
    }
    pending ??= this.startMinute(hostId, minute);
    const { rows } = pending;
    const last = rows.seconds.length - 1;
    if (last >= 0 && second < rows.seconds[last]!) return;
    const index = last >= 0 && rows.seconds[last] === second ? last : rows.seconds.push(second) - 1;
    // A second already written that gets a later reading is written again.
    if (index < pending.written) pending.written = index;
    for (const column of rows.values.values()) if (column.length <= index) column.push(NaN);
    // for…in rather than Object.entries: this runs for every host every second, and entries builds a pair per column.
    for (const name in values) {
      const value = values[name];
      if (value === undefined || !Number.isFinite(value)) continue;
      const columnId = this.columnId(name);
      let column = rows.values.get(columnId);
      if (!column) rows.values.set(columnId, (column = new Array<number>(rows.seconds.length).fill(NaN)));
      column[index] = value;
    }
  }

  /**
   * Takes readings a host sends after an outage, at their own times, into the tiers that hold them: a
   * reading over less than a minute joins the seconds (and its minute's aggregates are made again), one over
   * minutes fills the minutes it covers, one over hours the hours. What is already stored wins: a second,
   * minute or hour that has data keeps it. Returns how many readings were new; all or none are written.
   */
  backfill(key: string, readings: readonly PastReading[]): number {
    const { db, statements } = this;
    if (!db || !statements || readings.length === 0) return 0;
    // Whatever is pending goes to disk first, so stored rows are the whole truth below.
    this.flush();
    const nowMs = this.now();
    const currentMinute = Math.floor(nowMs / MINUTE_MS);
    const oldestSecond = Math.floor((nowMs - this.retention.secondsMs) / MINUTE_MS);
    const oldestMinute = Math.floor((nowMs - this.retention.minutesMs) / MINUTE_MS);
    const oldestHour = Math.floor((nowMs - this.retention.hoursMs) / HOUR_MS);
    let added = 0;
    try {
      const hostId = this.hostId(key);
      const fine = new Map<number, MinuteRows>();
      const minutes = new Map<number, Map<number, Aggregate>>();
      const hours = new Map<number, Map<number, Aggregate>>();
      for (const reading of readings) {
        if (!(reading.timeMs <= nowMs) || !(reading.spanMs > 0)) continue;
        const columns = this.aggregateColumns(reading.values);
        if (columns.size === 0) continue;
        if (reading.spanMs < MINUTE_MS) {
          const minute = Math.floor(reading.timeMs / MINUTE_MS);
          let rows = fine.get(minute);
          if (!rows) fine.set(minute, (rows = { seconds: [], values: new Map() }));
          const second = Math.floor((reading.timeMs - minute * MINUTE_MS) / 1000);
          if (rows.seconds.includes(second)) continue;
          const index = rows.seconds.push(second) - 1;
          for (const [columnId, { mean }] of columns) {
            let column = rows.values.get(columnId);
            if (!column) rows.values.set(columnId, (column = new Array<number>(index).fill(NaN)));
            column[index] = mean;
          }
          for (const column of rows.values.values()) while (column.length < rows.seconds.length) column.push(NaN);
        } else {
          const [unitMs, into] = reading.spanMs < HOUR_MS ? [MINUTE_MS, minutes] : [HOUR_MS, hours];
          // A bucket of today covers hours still to come: only those begun are filled.
          const end = Math.min(Math.ceil((reading.timeMs + reading.spanMs) / unitMs), Math.floor(nowMs / unitMs) + 1);
          for (let at = Math.floor(reading.timeMs / unitMs); at < end; at += 1) if (!into.has(at)) into.set(at, columns);
        }
      }
      const touchedHours = new Set<number>();
      db.exec('BEGIN');
      for (const [minute, rows] of fine) {
        if (minute < oldestMinute) continue;
        const current = this.pending.get(hostId);
        const stored = current?.minute === minute ? current.rows : this.storedMinute(hostId, minute);
        if (minute >= oldestSecond) {
          const merged = mergeMinute(stored, rows);
          if (merged === 0) continue;
          added += merged;
          statements.writeMinute.run(hostId, minute, encodeMinute(stored));
          if (current?.minute === minute) {
            // The whole minute is on disk now: its fragments would repeat it.
            statements.dropFragments.run(minute, hostId);
            current.written = stored.seconds.length;
            current.part = 0;
          }
        } else if (statements.readAggregateMinute.get(hostId, minute)) continue;
        else added += rows.seconds.length;
        if (minute >= currentMinute) continue;
        statements.writeAggregateMinute.run(hostId, minute, encodeAggregates(aggregateMinute(minute >= oldestSecond ? stored : rows)));
        minutes.delete(minute);
        touchedHours.add(Math.floor(minute / 60));
      }
      for (const [minute, aggregates] of minutes) {
        if (minute < oldestMinute || fine.has(minute) || statements.readAggregateMinute.get(hostId, minute)) continue;
        statements.writeAggregateMinute.run(hostId, minute, encodeAggregates(aggregates));
        added += 1;
        touchedHours.add(Math.floor(minute / 60));
      }
      for (const hour of touchedHours) {
        this.writeHour(hostId, hour, this.storedHour(hostId, hour));
        // The hour this process is rolling minutes into is read again, with these, at its next minute.
        if (this.hourRollups.get(hostId)?.hour === hour) this.hourRollups.delete(hostId);
      }
      for (const [hour, aggregates] of hours) {
        if (hour < oldestHour || touchedHours.has(hour) || statements.readHour.get(hostId, hour)) continue;
        statements.writeHour.run(hostId, hour, encodeAggregates(aggregates));
        added += 1;
      }
      db.exec('COMMIT');
      this.report(undefined);
      return added;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      this.writeFailed(error as Error);
      return 0;
    }
  }

  /** Writes what is new in one transaction: the current minutes' new seconds as fragments, finished minutes whole with their aggregates. */
  flush(): void {
    this.write(false);
  }

  private write(closing: boolean): void {
    const { db, statements } = this;
    if (!db || !statements) return;
    const currentMinute = Math.floor(this.now() / MINUTE_MS);
    for (const [hostId, pending] of this.pending) {
      if (pending.minute >= currentMinute) continue;
      this.finished.push(pending);
      this.pending.delete(hostId);
    }
    const finished = this.finished;
    this.finished = [];
    // Applied once the transaction holds: a failed write leaves them to be written again.
    const written: [PendingMinute, number][] = [];
    try {
      db.exec('BEGIN');
      // A clean stop leaves whole minutes, no fragments.
      for (const pending of closing ? [...finished, ...this.pending.values()] : finished) {
        if (pending.rows.seconds.length === 0) continue;
        statements.writeMinute.run(pending.hostId, pending.minute, encodeMinute(pending.rows));
        statements.dropFragments.run(pending.minute, pending.hostId);
        written.push([pending, pending.rows.seconds.length]);
      }
      if (!closing) {
        for (const pending of this.pending.values()) {
          if (pending.rows.seconds.length <= pending.written) continue;
          statements.writeFragment.run(pending.minute, pending.hostId, pending.part, encodeMinute(minuteFrom(pending.rows, pending.written)));
          written.push([pending, pending.rows.seconds.length]);
        }
      }
      const hours = new Map<number, HourRollup>();
      for (const { hostId, minute, rows } of finished) {
        const aggregates = aggregateMinute(rows);
        if (aggregates.size === 0) continue;
        statements.writeAggregateMinute.run(hostId, minute, encodeAggregates(aggregates));
        hours.set(hostId, this.rollIntoHour(hostId, minute, aggregates));
      }
      for (const [hostId, { hour, rollups }] of hours) this.writeHour(hostId, hour, rollups);
      db.exec('COMMIT');
      for (const [pending, count] of written) {
        pending.written = count;
        pending.part += 1;
      }
      this.report(undefined);
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      this.writeFailed(error as Error);
    }
  }

  /**
   * Makes whole minutes of the fragments a killed process left: each (host, minute) joins the seconds row it
   * may already have; a minute that is over gets its aggregates too.
   */
  private recoverFragments(): void {
    const { db, statements } = this;
    if (!db || !statements) return;
    const groups = new Map<string, { hostId: number; minute: number; rows: MinuteRows }>();
    for (const row of db.prepare('SELECT minute, host, data FROM recent ORDER BY minute, host, part').all()) {
      const [minute, hostId] = [Number(row.minute), Number(row.host)];
      const key = `${hostId}:${minute}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { hostId, minute, rows: this.storedMinute(hostId, minute) }));
      appendMinute(group.rows, decodeMinute(row.data as Uint8Array));
    }
    if (groups.size === 0) return;
    const currentMinute = Math.floor(this.now() / MINUTE_MS);
    db.exec('BEGIN');
    try {
      for (const { hostId, minute, rows } of groups.values()) {
        statements.writeMinute.run(hostId, minute, encodeMinute(rows));
        if (minute < currentMinute) this.finished.push({ hostId, minute, rows, written: rows.seconds.length, part: 0 });
      }
      db.exec('DELETE FROM recent');
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      this.finished = [];
      this.writeFailed(error as Error);
      return;
    }
    // Their aggregates go with the next flush, as any finished minute's.
    this.flush();
  }

  /** Drops what is older than each tier keeps. */
  prune(): void {
    const { db } = this;
    if (!db) return;
    const nowMs = this.now();
    try {
      db.prepare('DELETE FROM seconds WHERE minute < ?').run(Math.floor((nowMs - this.retention.secondsMs) / MINUTE_MS));
      db.prepare('DELETE FROM minutes WHERE minute < ?').run(Math.floor((nowMs - this.retention.minutesMs) / MINUTE_MS));
      db.prepare('DELETE FROM hours WHERE hour < ?').run(Math.floor((nowMs - this.retention.hoursMs) / HOUR_MS));
    } catch (error) {
      this.report(`Old history could not be dropped from ${this.options.file}: ${(error as Error).message}.`);
    }
  }

  /**
   * One host's columns in [fromMs, toMs), from the finest tier that still holds `fromMs` and needs no more
   * than `maxPoints` points; finer data is averaged into buckets of `stepMs`.
   */
  window(key: string, fromMs: number, toMs: number, maxPoints: number, columns?: readonly string[]): HistoryWindow {
    this.flush();
    const span = Math.max(1, toMs - fromMs);
    const wantedStep = span / Math.max(1, maxPoints);
    const nowMs = this.now();
    const tier: Tier =
      wantedStep < MINUTE_MS && fromMs >= nowMs - this.retention.secondsMs ? 'seconds' : wantedStep < HOUR_MS && fromMs >= nowMs - this.retention.minutesMs ? 'minutes' : 'hours';
    const tierStep = tier === 'seconds' ? 1000 : tier === 'minutes' ? MINUTE_MS : HOUR_MS;
    const stepMs = Math.max(tierStep, Math.ceil(wantedStep / tierStep) * tierStep);
    const hostId = this.hostIds.get(key);
    const wanted = columns ? new Set(columns) : undefined;
    const buckets = new WindowBuckets(fromMs, toMs, stepMs);
    const columnOf = (columnId: number): ColumnBuckets | undefined => {
      const name = this.columnNames.get(columnId);
      return name === undefined || (wanted && !wanted.has(name)) ? undefined : buckets.column(name);
    };
    if (this.db && hostId !== undefined) {
      if (tier === 'seconds') {
        const addMinute = (minute: number, rows: MinuteRows): void => {
          const minuteMs = minute * MINUTE_MS;
          for (const [columnId, values] of rows.values) {
            const column = columnOf(columnId);
            if (!column) continue;
            for (let index = 0; index < values.length; index += 1) {
              const value = values[index]!;
              if (Number.isFinite(value)) column.add(minuteMs + rows.seconds[index]! * 1000, value, value, value);
            }
          }
        };
        // The current minute is in memory (on disk only as fragments, or as the row it started from).
        const current = this.pending.get(hostId);
        for (const row of this.db.prepare('SELECT minute, data FROM seconds WHERE host = ? AND minute >= ? AND minute <= ? ORDER BY minute').all(hostId, Math.floor(fromMs / MINUTE_MS), Math.floor(toMs / MINUTE_MS))) {
          if (Number(row.minute) !== current?.minute) addMinute(Number(row.minute), decodeMinute(row.data as Uint8Array));
        }
        if (current) addMinute(current.minute, current.rows);
      } else {
        const [table, unit, unitMs] = tier === 'minutes' ? ['minutes', 'minute', MINUTE_MS] : ['hours', 'hour', HOUR_MS];
        for (const row of this.db.prepare(`SELECT ${unit} AS at, data FROM ${table} WHERE host = ? AND ${unit} >= ? AND ${unit} <= ? ORDER BY ${unit}`).all(hostId, Math.floor(fromMs / unitMs), Math.floor(toMs / unitMs))) {
          for (const [columnId, { min, mean, max }] of decodeAggregates(row.data as Uint8Array)) columnOf(columnId)?.add(Number(row.at) * unitMs, min, mean, max);
        }
      }
    }
    const series = buckets.series();
    return { tier, stepMs, series };
  }

  /** Bytes the database file and its write-ahead log take, and rows per tier. */
  size(): { bytes: number; rows: Record<Tier, number> } {
    if (!this.db) return { bytes: 0, rows: { seconds: 0, minutes: 0, hours: 0 } };
    const page = this.db.prepare('SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()').get();
    const count = (table: string): number => Number(this.db!.prepare(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0);
    return { bytes: Number(page?.bytes ?? 0), rows: { seconds: count('seconds'), minutes: count('minutes'), hours: count('hours') } };
  }

  /** The problem writing history, if there is one now. */
  get writeProblem(): string | undefined {
    return this.problem;
  }

  close(): void {
    this.write(true);
    this.db?.close();
  }

  /**
   * Adds a finished minute (already written) to its host's hour. Re-reading the hour's minutes at each
   * minute cost a thousand hosts sixty reads a minute; they are read once, for an hour this process did
   * not see begin.
   */
  private rollIntoHour(hostId: number, minute: number, aggregates: ReadonlyMap<number, Aggregate>): HourRollup {
    const hour = Math.floor(minute / 60);
    const known = this.hourRollups.get(hostId);
    if (known?.hour === hour) {
      addAggregates(known.rollups, aggregates);
      return known;
    }
    const rollup: HourRollup = { hour, rollups: this.storedHour(hostId, hour) };
    this.hourRollups.set(hostId, rollup);
    return rollup;
  }

  /** An hour's rollups from the minutes stored in it. */
  private storedHour(hostId: number, hour: number): Map<number, Rollup> {
    const rollups = new Map<number, Rollup>();
    for (const row of this.statements!.readHourMinutes.all(hostId, hour * 60, hour * 60 + 60)) addAggregates(rollups, decodeAggregates(row.data as Uint8Array));
    return rollups;
  }

  private writeHour(hostId: number, hour: number, rollups: ReadonlyMap<number, Rollup>): void {
    this.statements!.writeHour.run(hostId, hour, encodeAggregates(new Map([...rollups].map(([column, rollup]) => [column, rollup.aggregate]))));
  }

  /** A minute's stored seconds, or none. */
  private storedMinute(hostId: number, minute: number): MinuteRows {
    const stored = this.statements!.readMinute.get(hostId, minute);
    return stored ? decodeMinute(stored.data as Uint8Array) : { seconds: [], values: new Map() };
  }

  /** A reading's figures by column id, each as the aggregate of a single value. */
  private aggregateColumns(values: Readonly<Record<string, number | undefined>>): Map<number, Aggregate> {
    const columns = new Map<number, Aggregate>();
    for (const [name, value] of Object.entries(values)) if (value !== undefined && Number.isFinite(value)) columns.set(this.columnId(name), { min: value, mean: value, max: value });
    return columns;
  }

  private startMinute(hostId: number, minute: number): PendingMinute {
    // After a restart within the same minute, the seconds already stored are kept, not overwritten.
    const rows = this.storedMinute(hostId, minute);
    const pending: PendingMinute = { hostId, minute, rows, written: rows.seconds.length, part: 0 };
    this.pending.set(hostId, pending);
    return pending;
  }

  private hostId(key: string): number {
    let id = this.hostIds.get(key);
    if (id === undefined) {
      id = Number(this.statements!.insertHost.get(key)!.id);
      this.hostIds.set(key, id);
    }
    return id;
  }

  private columnId(name: string): number {
    let id = this.columnIds.get(name);
    if (id === undefined) {
      id = Number(this.statements!.insertColumn.get(name)!.id);
      this.remember(name, id);
    }
    return id;
  }

  private remember(name: string, id: number): void {
    this.columnIds.set(name, id);
    this.columnNames.set(id, name);
  }

  private writeFailed(error: Error): void {
    this.report(`History is not being saved to ${this.options.file}: ${error.message}. Live monitoring goes on.`);
  }

  private report(problem: string | undefined): void {
    if (problem === this.problem) return;
    this.problem = problem;
    this.options.onProblem?.(problem);
  }
}
