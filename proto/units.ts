// Unit conversions and parsing shared by every codec, so wire units are converted the same way everywhere.

export const KIB = 1024;
export const MIB = 1024 * 1024;

/** Whole MiB, rounded down as the real servers do ("mb" on the wire means MiB). */
export function bytesToMib(bytes: number): number {
  return Math.floor(bytes / MIB);
}

export function mibToBytes(mib: number): number {
  return mib * MIB;
}

export function msToSeconds(timeMs: number): number {
  return Math.floor(timeMs / 1000);
}

export function round1(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 10) / 10 : 0;
}

/** Share of a total in percent, 0 when the total is unknown. */
export function percentOf(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}

/** A percentage forced into 0–100: rates and server figures jitter a little past their bounds (an idle core reads 100.2 % idle). */
export function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

/** JSON.parse that returns undefined instead of throwing on hostile input. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The span a JavaScript Date can hold; a time outside it cannot be written back as ISO 8601. */
const MAX_DATE_MS = 8.64e15;

/**
 * Epoch ms from a wire timestamp that may be epoch seconds, epoch ms or an ISO 8601 string; undefined for
 * anything else, including a number no Date can hold (a hostile 1e308 would otherwise throw later, when
 * the time is encoded again).
 */
export function wireTimeToMs(value: unknown): number | undefined {
  let timeMs: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) timeMs = value < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string') timeMs = Date.parse(value);
  return timeMs !== undefined && Math.abs(timeMs) <= MAX_DATE_MS ? timeMs : undefined;
}

/** Per-second rate between two readings of a cumulative counter; undefined when time did not advance or the counter went back (a reset). */
export function counterRate(previous: number, previousMs: number, current: number, currentMs: number): number | undefined {
  const elapsedMs = currentMs - previousMs;
  if (!(elapsedMs > 0) || current < previous) return undefined;
  return Math.round(((current - previous) * 1000) / elapsedMs);
}
