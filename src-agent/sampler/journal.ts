// The systemd journal records of one process: one asynchronous `journalctl _PID=<pid> -o json` run with a
// timeout and an output bound. It never runs a shell and passes nothing but a validated pid to journalctl.

import { execFile } from 'node:child_process';
import type { JournalEntry } from '../../proto/model';

/** The newest records returned, as the real agent does. */
export const JOURNAL_ENTRY_LIMIT = 100;
const TIMEOUT_MS = 4000;
/** 100 records rarely pass 200 KiB; a bound keeps a runaway journal from filling memory. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

export interface JournalReading {
  entries: JournalEntry[];
  /** True when older records were left out. */
  truncated: boolean;
}

/** Thrown for problems a client should read as they are ("journalctl is not installed"). */
export class JournalError extends Error {}

export interface JournalOptions {
  command?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function collectJournal(pid: number, options: JournalOptions = {}): Promise<JournalReading> {
  const { command = 'journalctl', timeoutMs = TIMEOUT_MS, env = process.env } = options;
  if (!Number.isSafeInteger(pid) || pid <= 0) return Promise.reject(new JournalError(`invalid pid ${pid}: expected a positive integer`));
  const args = [`_PID=${pid}`, '-n', String(JOURNAL_ENTRY_LIMIT), '-o', 'json', '--no-pager'];
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, env, windowsHide: true }, (error, stdout, stderr) => {
      if (error) return reject(describeFailure(error as NodeJS.ErrnoException & { killed?: boolean }, String(stderr), timeoutMs));
      const entries = parseJournalJson(String(stdout));
      resolve({ entries, truncated: entries.length >= JOURNAL_ENTRY_LIMIT });
    });
  });
}

function describeFailure(error: NodeJS.ErrnoException & { killed?: boolean }, stderr: string, timeoutMs: number): JournalError {
  if (error.code === 'ENOENT') return new JournalError('journalctl is not installed on this machine, so there are no journal entries to read');
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return new JournalError('journalctl wrote more than this agent reads for one process');
  if (error.killed) return new JournalError(`journalctl did not answer within ${timeoutMs / 1000} s`);
  const detail = stderr.split('\n').find((line) => line.trim() !== '')?.trim();
  return new JournalError(`journalctl failed${detail ? `: ${detail}` : ` (exit code ${String(error.code)})`}`);
}

/** `journalctl -o json` prints one object per line; fields are strings, MESSAGE may be a byte array. */
export function parseJournalJson(stdout: string): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof record !== 'object' || record === null) continue;
    const entry: JournalEntry = {
      timeMs: Math.floor(integer(record.__REALTIME_TIMESTAMP) / 1000),
      priority: Math.min(7, integer(record.PRIORITY, 6)),
      message: message(record.MESSAGE),
    };
    if (typeof record._SYSTEMD_UNIT === 'string') entry.unit = record._SYSTEMD_UNIT;
    if (record._PID !== undefined) entry.pid = integer(record._PID);
    if (typeof record._COMM === 'string') entry.command = record._COMM;
    if (record._UID !== undefined) entry.userId = integer(record._UID);
    if (record._GID !== undefined) entry.groupId = integer(record._GID);
    entries.push(entry);
  }
  return entries;
}

function integer(value: unknown, fallback = 0): number {
  const parsed = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : fallback;
}

function message(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((byte) => typeof byte === 'number')) return Buffer.from(value as number[]).toString('utf8');
  return '';
}
