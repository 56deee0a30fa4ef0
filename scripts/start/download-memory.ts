// Remembers a failed Electron download for a day, so that every later `npm start` behind the same
// firewall goes straight to the web dashboard instead of waiting on the network again.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REMEMBER_MS = 24 * 60 * 60 * 1000;

interface Failure {
  version: string;
  failedAtMs: number;
  reason: string;
}

function memoryFile(root: string): string {
  return path.join(root, 'node_modules', '.cache', 'fleetwatch', 'electron-download.json');
}

/** The last failure to fetch this Electron version, if it is less than a day old. */
export function rememberedFailure(root: string, version: string, nowMs: number): Failure | null {
  let failure: Partial<Failure>;
  try {
    failure = JSON.parse(readFileSync(memoryFile(root), 'utf8')) as Partial<Failure>;
  } catch {
    return null;
  }
  if (failure.version !== version || typeof failure.failedAtMs !== 'number' || typeof failure.reason !== 'string') return null;
  const ageMs = nowMs - failure.failedAtMs;
  return ageMs >= 0 && ageMs < REMEMBER_MS ? { version, failedAtMs: failure.failedAtMs, reason: failure.reason } : null;
}

export function rememberFailure(root: string, failure: Failure): void {
  mkdirSync(path.dirname(memoryFile(root)), { recursive: true });
  writeFileSync(memoryFile(root), `${JSON.stringify(failure)}\n`);
}

export function forgetFailure(root: string): void {
  rmSync(memoryFile(root), { force: true });
}

/** "3 min ago", "2 h ago": how long ago a failure was, for the one line that mentions it. */
export function describeAge(ageMs: number): string {
  const minutes = Math.floor(ageMs / 60_000);
  if (minutes < 1) return 'just now';
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}
