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
