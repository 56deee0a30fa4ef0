// Figures out of an exposition's series, with the checks every reader applies: a value that is not finite
// or not in range, or a label that is missing or absurd, reads as absent rather than as a figure.

import type { Exposition, ExpositionSeries } from './exposition';

const MAX_LABEL_LENGTH = 256;

export function seriesOf(exposition: Exposition, name: string): readonly ExpositionSeries[] {
  return exposition.series.get(name) ?? [];
}

/** The first finite value of a metric without labels that matter (node_load1, node_time_seconds). */
export function firstValue(exposition: Exposition, name: string): number | undefined {
  return seriesOf(exposition, name).find((series) => Number.isFinite(series.value))?.value;
}

export function within(value: number | undefined, min: number, max: number): number | undefined {
  return value !== undefined && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/** A byte count: finite, not negative, and small enough to add up exactly. */
export function byteCount(value: number | undefined): number | undefined {
  return within(value, 0, Number.MAX_SAFE_INTEGER);
}

/** A temperature a sensor can really report; a disconnected one reads -127 or 255 or so. */
export function celsius(value: number | undefined): number | undefined {
  return within(value, -40, 150);
}

export function percent(value: number | undefined): number | undefined {
  return within(value, 0, 100);
}

/** A label's text, trimmed; absent when empty or too long to be a name. */
export function labelText(series: ExpositionSeries | undefined, name: string): string | undefined {
  const text = series?.labels[name]?.trim();
  return text && text.length <= MAX_LABEL_LENGTH ? text : undefined;
}

/** A label holding a small whole number (a GPU, a CPU, a thermal zone). */
export function labelIndex(series: ExpositionSeries, name: string): number | undefined {
  const text = series.labels[name];
  return text !== undefined && /^\d{1,6}$/.test(text) ? Number(text) : undefined;
}

/** The object without its absent fields, so a reading carries only what the server said. */
export function withoutAbsent<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
