// Time as the views show it: chart ticks, "3 min ago", and the time-range buttons. Pure.

export const TIME_RANGES = [
  { label: '5 min', ms: 5 * 60_000 },
  { label: '15 min', ms: 15 * 60_000 },
  { label: '30 min', ms: 30 * 60_000 },
  { label: '1 h', ms: 60 * 60_000 },
] as const;

/** With a hub's stored history, longer spans too (the page itself keeps only the last hour). */
export const STORED_TIME_RANGES = [...TIME_RANGES, { label: '24 h', ms: 24 * 60 * 60_000 }, { label: '7 d', ms: 7 * 24 * 60 * 60_000 }, { label: '30 d', ms: 30 * 24 * 60 * 60_000 }] as const;

const pad = (value: number): string => String(value).padStart(2, '0');

/** HH:MM, or HH:MM:SS for short ranges, in local time. */
export function formatClock(timeMs: number, withSeconds = false): string {
  const date = new Date(timeMs);
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return withSeconds ? `${clock}:${pad(date.getSeconds())}` : clock;
}

/** "4 Dec", in local time: ticks of ranges longer than a day. */
export function formatDay(timeMs: number): string {
  return new Date(timeMs).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

export function formatAgo(timeMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.round((nowMs - timeMs) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

/** What the host page charts: the last `ms` up to now, or a fixed span a user typed. */
export type ChartSpan = { kind: 'recent'; ms: number } | { kind: 'custom'; fromMs: number; toMs: number };

const MIN_CUSTOM_SPAN_MS = 60_000;

/** `2026-12-04T15:20` in local time, as a datetime-local input shows it. */
export function toLocalInput(timeMs: number): string {
  const date = new Date(timeMs);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Reads a custom span from two datetime-local values; an end after now means now. */
export function parseCustomSpan(fromText: string, toText: string, nowMs: number): { span: Extract<ChartSpan, { kind: 'custom' }> } | { error: string } {
  if (!fromText || !toText) return { error: 'Give both a start and an end.' };
  const fromMs = new Date(fromText).getTime();
  const toMs = Math.min(new Date(toText).getTime(), nowMs);
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return { error: 'That is not a date and time.' };
  if (fromMs >= nowMs) return { error: 'The start is in the future.' };
  if (toMs - fromMs < MIN_CUSTOM_SPAN_MS) return { error: 'The end must come at least a minute after the start.' };
  return { span: { kind: 'custom', fromMs, toMs } };
}
