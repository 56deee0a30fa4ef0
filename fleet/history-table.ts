// A ring buffer of readings in typed arrays: one column of times (epoch ms) shared by named value columns.
// It grows (doubling) only until it spans the retention window at the source's own rate, then overwrites
// the oldest row, so memory is bounded by maxRows × columns whatever the rate. It never allocates per push.

export interface HistoryLimits {
  /** Keep at least this much time when the rate allows it within maxRows. */
  retentionMs: number;
  initialRows: number;
  /** Hard bound on rows, whatever the rate. */
  maxRows: number;
  /** Columns beyond this are ignored (a hostile source could invent unlimited names). */
  maxColumns: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { retentionMs: 60 * 60 * 1000, initialRows: 256, maxRows: 8192, maxColumns: 176 };

/** One chart point: epoch ms and value, the shape chart.js reads with `parsing: false`. */
export interface Point {
  x: number;
  y: number;
}

export class HistoryTable {
  private timesMs: Float64Array;
  private readonly columns = new Map<string, Float32Array>();
  /** Index of the oldest row. */
  private head = 0;
  private count = 0;

  constructor(private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS) {
    this.timesMs = new Float64Array(limits.initialRows);
  }

  get rows(): number {
    return this.count;
  }

  get capacity(): number {
    return this.timesMs.length;
  }

  /** Bytes held by the typed arrays. */
  get byteSize(): number {
    let bytes = this.timesMs.byteLength;
    for (const column of this.columns.values()) bytes += column.byteLength;
    return bytes;
  }

  get latestTimeMs(): number | undefined {
    return this.count === 0 ? undefined : this.timesMs[this.index(this.count - 1)];
  }

  get oldestTimeMs(): number | undefined {
    return this.count === 0 ? undefined : this.timesMs[this.head];
  }

  get columnCount(): number {
    return this.columns.size;
  }

  keys(): string[] {
    return [...this.columns.keys()];
  }

  has(key: string): boolean {
    return this.columns.has(key);
  }

  /**
   * Appends one row. Values absent from `values` are stored as gaps (NaN). A row older than the newest is
   * dropped: history is append-only and charts need sorted x.
   */
  push(timeMs: number, values: Readonly<Record<string, number | undefined>>): boolean {
    const latest = this.latestTimeMs;
    if (!Number.isFinite(timeMs) || (latest !== undefined && timeMs <= latest)) return false;
    for (const key in values) if (!this.columns.has(key) && this.columns.size < this.limits.maxColumns) this.columns.set(key, new Float32Array(this.capacity).fill(NaN));
    if (this.count === this.capacity && this.shouldGrow(timeMs)) this.grow();
    let row: number;
    if (this.count < this.capacity) {
      row = this.index(this.count);
      this.count += 1;
    } else {
      row = this.head;
      this.head = (this.head + 1) % this.capacity;
    }
    this.timesMs[row] = timeMs;
    for (const [key, column] of this.columns) {
      const value = values[key];
      column[row] = value === undefined || !Number.isFinite(value) ? NaN : value;
    }
    return true;
  }

  /** The newest value of a column that is not a gap. */
  latest(key: string): number | undefined {
    const column = this.columns.get(key);
    if (!column) return undefined;
    for (let offset = this.count - 1; offset >= 0; offset--) {
      const value = column[this.index(offset)]!;
      if (!Number.isNaN(value)) return value;
    }
    return undefined;
  }

  /** Points of one column from `sinceMs` on, gaps left out. */
  points(key: string, sinceMs = -Infinity): Point[] {
    const column = this.columns.get(key);
    if (!column) return [];
    const points: Point[] = [];
    for (let offset = this.firstOffsetSince(sinceMs); offset < this.count; offset++) {
      const row = this.index(offset);
      const value = column[row]!;
      if (!Number.isNaN(value)) points.push({ x: this.timesMs[row]!, y: value });
    }
    return points;
  }

  /** Values of one column from `sinceMs` on, for sparklines (gaps left out). */
  values(key: string, sinceMs = -Infinity): number[] {
    return this.points(key, sinceMs).map((point) => point.y);
  }

  private firstOffsetSince(sinceMs: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.timesMs[this.index(middle)]! < sinceMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private shouldGrow(timeMs: number): boolean {
    const oldest = this.oldestTimeMs ?? timeMs;
    return this.capacity < this.limits.maxRows && timeMs - oldest < this.limits.retentionMs;
  }

  private grow(): void {
    const rows = Math.min(this.limits.maxRows, this.capacity * 2);
    this.timesMs = this.unrolled(this.timesMs, new Float64Array(rows));
    for (const [key, column] of this.columns) this.columns.set(key, this.unrolled(column, new Float32Array(rows).fill(NaN)));
    this.head = 0;
  }

  /** Copies a full ring into the start of a larger array, oldest first. */
  private unrolled<T extends Float64Array | Float32Array>(from: T, into: T): T {
    into.set(from.subarray(this.head));
    into.set(from.subarray(0, this.head), from.length - this.head);
    return into;
  }

  private index(offset: number): number {
    return (this.head + offset) % this.capacity;
  }
}
