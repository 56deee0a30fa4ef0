// The human-readable strings SysMedic puts on the wire ("2d 4h 32m", "0.13, 0.14, 0.18", "0.00 MB/s", Go
// durations), formatted and parsed in one place. Pure; parsers return undefined rather than throwing.

import { MIB } from '../units';

const MINUTE_SEC = 60;
const HOUR_SEC = 60 * MINUTE_SEC;
const DAY_SEC = 24 * HOUR_SEC;

/** "2d 4h 32m", "4h 32m" or "32m", as the real servers print /proc/uptime. */
export function formatUptime(uptimeSec: number): string {
  const whole = Math.max(0, Math.floor(uptimeSec));
  const days = Math.floor(whole / DAY_SEC);
  const hours = Math.floor((whole % DAY_SEC) / HOUR_SEC);
  const minutes = Math.floor((whole % HOUR_SEC) / MINUTE_SEC);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m`;
}

const UPTIME_PATTERN = /^(?:(\d{1,7})d)?\s*(?:(\d{1,3})h)?\s*(?:(\d{1,3})m)?\s*(?:(\d{1,3})s)?$/;

/** Seconds from "2d 4h 32m" (any subset of the parts); undefined for "unknown" or anything else. */
export function parseUptime(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > 40) return undefined;
  const match = UPTIME_PATTERN.exec(trimmed);
  if (!match) return undefined;
  const [days, hours, minutes, seconds] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [number, number, number, number];
  return days * DAY_SEC + hours * HOUR_SEC + minutes * MINUTE_SEC + seconds;
}

/** "0.13, 0.14, 0.18". */
export function formatLoad(load: readonly [number, number, number]): string {
  return load.map((value) => value.toFixed(2)).join(', ');
}

/** The 1, 5 and 15 minute loads from "0.13, 0.14, 0.18" or from an array of three numbers (the API guide's form). */
export function parseLoad(value: unknown): [number, number, number] | undefined {
  const parts = typeof value === 'string' ? value.split(',').map((part) => (part.trim() === '' ? NaN : Number(part))) : value;
  if (!Array.isArray(parts) || parts.length !== 3) return undefined;
  if (!parts.every((part) => typeof part === 'number' && Number.isFinite(part) && part >= 0)) return undefined;
  return parts as [number, number, number];
}

/** Received plus sent, in MiB per second, as the real server's "%.2f MB/s". */
export function formatNetworkRate(bytesPerSec: number): string {
  return `${(Math.max(0, bytesPerSec) / MIB).toFixed(2)} MB/s`;
}

/** Go's time.Duration.String() for whole seconds: "5s", "1m0s", "1h0m0s" (the real `monitoring_interval`). */
export function formatGoDuration(totalSec: number): string {
  const whole = Math.max(0, Math.floor(totalSec));
  const hours = Math.floor(whole / HOUR_SEC);
  const minutes = Math.floor((whole % HOUR_SEC) / MINUTE_SEC);
  const seconds = whole % MINUTE_SEC;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
