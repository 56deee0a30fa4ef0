// The buckets of one history window: for each column, the min, max, sum of means and count of each step
// from the window's start, in typed arrays. A 24 h window of per-second rows adds over a million values;
// a map and an object per bucket made that the slowest query the hub answers.

import type { SeriesWindow } from '../../../fleet/hub-view';

export class ColumnBuckets {
  private readonly min: Float64Array;
  private readonly max: Float64Array;
  private readonly sum: Float64Array;
  private readonly count: Uint32Array;

  constructor(private readonly window: WindowBuckets) {
    const { size } = window;
    this.min = new Float64Array(size).fill(Infinity);
    this.max = new Float64Array(size).fill(-Infinity);
    this.sum = new Float64Array(size);
    this.count = new Uint32Array(size);
  }

  /** Adds one reading (min = mean = max) or one aggregate at `timeMs`; outside the window it is ignored. */
  add(timeMs: number, min: number, mean: number, max: number): void {
    const { fromMs, toMs, stepMs, base } = this.window;
    if (timeMs < fromMs || timeMs >= toMs) return;
    const index = Math.floor(timeMs / stepMs) - base;
    if (min < this.min[index]!) this.min[index] = min;
    if (max > this.max[index]!) this.max[index] = max;
    this.sum[index]! += mean;
    this.count[index]! += 1;
  }

  /** The buckets that got a value, oldest first: the mean is the mean of what was added. */
  series(): SeriesWindow {
    const series: SeriesWindow = { t: [], mean: [], min: [], max: [] };
    const { stepMs, base } = this.window;
    for (let index = 0; index < this.count.length; index += 1) {
      const count = this.count[index]!;
      if (count === 0) continue;
      series.t.push((base + index) * stepMs);
      series.mean.push(this.sum[index]! / count);
      series.min.push(this.min[index]!);
      series.max.push(this.max[index]!);
    }
    return series;
  }
}

export class WindowBuckets {
  readonly base: number;
  readonly size: number;
  private readonly columns = new Map<string, ColumnBuckets>();

  constructor(
    readonly fromMs: number,
    readonly toMs: number,
    readonly stepMs: number,
  ) {
    this.base = Math.floor(fromMs / stepMs);
    this.size = Math.max(0, Math.floor((toMs - 1) / stepMs) - this.base + 1);
  }

  column(name: string): ColumnBuckets {
    let column = this.columns.get(name);
    if (!column) this.columns.set(name, (column = new ColumnBuckets(this)));
    return column;
  }

  series(): Record<string, SeriesWindow> {
    const series: Record<string, SeriesWindow> = {};
    for (const [name, column] of this.columns) {
      const window = column.series();
      if (window.t.length > 0) series[name] = window;
    }
    return series;
  }
}
