// The stored history's two row formats. A minute row holds one host's per-second samples for one minute:
// the seconds present once, then per column its values quantized to four significant digits and stored as
// deltas (most take one byte). An aggregate row holds, per column, the min, mean and max of a minute or an
// hour. Columns are numbered by the store; a value a sample lacks is stored as absent, never as zero.

import { ByteReader, ByteWriter, unzigzag, zigzag } from './varint';

const FORMAT = 1;
/** Enough digits for a chart a few hundred pixels high; a column's scale is chosen per row from its largest value. */
const SIGNIFICANT = 10_000;

/** Per-second values of one minute: `seconds[i]` is the second (0–59) of `values[column][i]` (NaN when absent). */
export interface MinuteRows {
  seconds: number[];
  values: Map<number, number[]>;
}

export interface Aggregate {
  min: number;
  mean: number;
  max: number;
}

export function encodeMinute(minute: MinuteRows): Uint8Array {
  const writer = new ByteWriter();
  writer.unsigned(FORMAT);
  writer.unsigned(minute.seconds.length);
  // Most minutes hold every second from the first on: then only the first is written.
  const first = minute.seconds[0] ?? 0;
  const consecutive = minute.seconds.every((second, index) => second === first + index);
  writer.unsigned(consecutive ? 1 : 0);
  if (consecutive) writer.unsigned(first);
  else for (const second of minute.seconds) writer.unsigned(second);
  for (const [column, values] of minute.values) {
    const exponent = scaleExponent(values);
    writer.unsigned(column);
    writer.signed(exponent);
    let previous = 0;
    for (const value of values) {
      if (!Number.isFinite(value)) {
        writer.unsigned(0);
        continue;
      }
      const quantized = Math.round(value * 10 ** exponent);
      // 0 marks an absent value, so every present delta is shifted by one.
      writer.unsigned(zigzag(quantized - previous) + 1);
      previous = quantized;
    }
  }
  return writer.bytes();
}

/** The rows of a minute from index `from` on: what a flush has not written yet. */
export function minuteFrom(minute: MinuteRows, from: number): MinuteRows {
  return { seconds: minute.seconds.slice(from), values: new Map([...minute.values].map(([column, values]) => [column, values.slice(from)])) };
}

/** Appends the rows of `later` that come after the last second of `minute` (fragments of one minute, in order). */
export function appendMinute(minute: MinuteRows, later: MinuteRows): void {
  const lastSecond = minute.seconds.at(-1) ?? -1;
  const start = later.seconds.findIndex((second) => second > lastSecond);
  if (start < 0) return;
  const before = minute.seconds.length;
  minute.seconds.push(...later.seconds.slice(start));
  for (const [column, values] of later.values) {
    let known = minute.values.get(column);
    if (!known) minute.values.set(column, (known = new Array<number>(before).fill(NaN)));
    known.push(...values.slice(start));
  }
  for (const values of minute.values.values()) while (values.length < minute.seconds.length) values.push(NaN);
}

export function decodeMinute(data: Uint8Array): MinuteRows {
  const reader = new ByteReader(data);
  checkFormat(reader.unsigned());
  const count = reader.unsigned();
  const consecutive = reader.unsigned() === 1;
  const first = consecutive ? reader.unsigned() : 0;
  const seconds = new Array<number>(count);
  for (let index = 0; index < count; index += 1) seconds[index] = consecutive ? first + index : reader.unsigned();
  const values = new Map<number, number[]>();
  // Plain loops: a 24 h window decodes over a million values.
  while (!reader.done) {
    const column = reader.unsigned();
    const exponent = reader.signed();
    let previous = 0;
    const columnValues = new Array<number>(count);
    for (let index = 0; index < count; index += 1) {
      const raw = reader.unsigned();
      if (raw === 0) columnValues[index] = NaN;
      else {
        previous += unzigzag(raw - 1);
        columnValues[index] = unscale(previous, exponent);
      }
    }
    values.set(column, columnValues);
  }
  return { seconds, values };
}

export function encodeAggregates(aggregates: ReadonlyMap<number, Aggregate>): Uint8Array {
  const writer = new ByteWriter();
  writer.unsigned(FORMAT);
  for (const [column, { min, mean, max }] of aggregates) {
    const exponent = scaleExponent([min, mean, max]);
    writer.unsigned(column);
    writer.signed(exponent);
    for (const value of [min, mean, max]) writer.signed(Math.round(value * 10 ** exponent));
  }
  return writer.bytes();
}

export function decodeAggregates(data: Uint8Array): Map<number, Aggregate> {
  const reader = new ByteReader(data);
  checkFormat(reader.unsigned());
  const aggregates = new Map<number, Aggregate>();
  while (!reader.done) {
    const column = reader.unsigned();
    const exponent = reader.signed();
    const [min, mean, max] = [reader.signed(), reader.signed(), reader.signed()].map((value) => unscale(value, exponent)) as [number, number, number];
    aggregates.set(column, { min, mean, max });
  }
  return aggregates;
}

/** Min, mean and max of each column over the values present; a column with none is left out. */
export function aggregateMinute(minute: MinuteRows): Map<number, Aggregate> {
  const result = new Map<number, Aggregate>();
  for (const [column, values] of minute.values) {
    const present = values.filter(Number.isFinite);
    if (present.length > 0) result.set(column, { min: Math.min(...present), mean: present.reduce((sum, value) => sum + value, 0) / present.length, max: Math.max(...present) });
  }
  return result;
}

/** Aggregates added together: min of mins, mean of means, max of maxes. */
/**
 * Puts into `minute` the rows of `past` whose seconds it does not hold yet (a backfill: what is stored wins),
 * keeping seconds in order. Returns how many rows were added.
 */
export function mergeMinute(minute: MinuteRows, past: MinuteRows): number {
  const known = new Set(minute.seconds);
  const added = past.seconds.flatMap((second, index) => (known.has(second) ? [] : [index]));
  if (added.length === 0) return 0;
  const seconds = [...minute.seconds, ...added.map((index) => past.seconds[index]!)];
  const order = seconds.map((_, index) => index).sort((a, b) => seconds[a]! - seconds[b]!);
  const columns = new Set([...minute.values.keys(), ...past.values.keys()]);
  const values = new Map<number, number[]>();
  for (const column of columns) {
    const mine = minute.values.get(column);
    const theirs = past.values.get(column);
    const joined = [...minute.seconds.map((_, index) => mine?.[index] ?? NaN), ...added.map((index) => theirs?.[index] ?? NaN)];
    values.set(column, order.map((index) => joined[index]!));
  }
  minute.seconds = order.map((index) => seconds[index]!);
  minute.values = values;
  return added.length;
}

export class Rollup {
  private min = Infinity;
  private max = -Infinity;
  private total = 0;
  private count = 0;

  add({ min, mean, max }: Aggregate): void {
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
    this.total += mean;
    this.count += 1;
  }

  get aggregate(): Aggregate {
    return { min: this.min, mean: this.total / this.count, max: this.max };
  }
}

/** Adds each column's aggregate into that column's rollup. */
export function addAggregates(rollups: Map<number, Rollup>, aggregates: ReadonlyMap<number, Aggregate>): void {
  for (const [column, aggregate] of aggregates) {
    let rollup = rollups.get(column);
    if (!rollup) rollups.set(column, (rollup = new Rollup()));
    rollup.add(aggregate);
  }
}

/**
 * The power of ten that keeps the column's largest magnitude within four significant digits, or a coarser
 * one that still holds every value exactly (a percentage sent with one decimal needs no second): smaller
 * numbers make smaller deltas.
 */
function scaleExponent(values: readonly number[]): number {
  let largest = 0;
  for (const value of values) if (Number.isFinite(value)) largest = Math.max(largest, Math.abs(value));
  if (largest === 0) return 0;
  let exponent = Math.max(-15, Math.min(15, Math.floor(Math.log10(SIGNIFICANT / largest))));
  while (exponent > -15 && allWhole(values, 10 ** (exponent - 1))) exponent -= 1;
  return exponent;
}

/** Whether every present value times `scale` is whole; a loop, as it runs for every column of every flush. */
function allWhole(values: readonly number[], scale: number): boolean {
  for (const value of values) if (Number.isFinite(value) && !isWhole(value * scale)) return false;
  return true;
}

function isWhole(value: number): boolean {
  return Math.abs(value - Math.round(value)) < 1e-6 * Math.max(1, Math.abs(value));
}

/** Exact powers of ten: every one up to 1e22 is a double, and `10 ** n` need not be exact. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, n) => Number(`1e${n}`));

/**
 * The value `quantized` stands for. Dividing by an exact power of ten rounds once, to the double nearest the
 * decimal, so 1 at exponent 1 reads 0.1, never 0.1000000001 (multiplying by 10 ** -1 rounds twice).
 */
function unscale(quantized: number, exponent: number): number {
  return exponent > 0 ? quantized / POWERS_OF_TEN[exponent]! : quantized * POWERS_OF_TEN[-exponent]!;
}
function checkFormat(format: number): void {
  if (format !== FORMAT) throw new RangeError(`stored history row has format ${format}; this hub reads format ${FORMAT}`);
}
