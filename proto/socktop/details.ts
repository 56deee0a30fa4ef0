// socktop's on-request replies about one process: `get_process_metrics:<pid>`, `get_journal_entries:<pid>`,
// and the error reply either gets. Wire types and a pure codec; times are epoch seconds or ISO 8601 here.

import { z } from 'zod';
import type { JournalEntry, ProcessDetails } from '../model';
import { msToSeconds } from '../units';
import { REQUEST_NAME, type RequestKind } from './requests';

export interface ProcessDetailsMessage {
  pid: number;
  name: string;
  command: string;
  /** Percent of the whole machine. */
  cpu_usage: number;
  /** RSS bytes. */
  mem_bytes: number;
  virtual_mem_bytes: number;
  thread_count: number;
  status: string;
  parent_pid: number | null;
  user_id: number;
  group_id: number;
  /** Epoch seconds. */
  start_time: number;
  /** Microseconds of CPU time since start. */
  cpu_time_user: number;
  cpu_time_system: number;
  /** The real client requires both lists; this agent does not walk children or threads. */
  child_processes: never[];
  threads: never[];
}

export interface ProcessMetricsReply {
  process: ProcessDetailsMessage;
  /** Epoch seconds when the process was read. */
  cached_at: number;
}

/** syslog priorities as the real client's enum names them, index = priority. */
export const JOURNAL_PRIORITIES = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Info', 'Debug'] as const;

export interface JournalEntryMessage {
  /** ISO 8601. */
  timestamp: string;
  priority: (typeof JOURNAL_PRIORITIES)[number];
  message: string;
  unit: string | null;
  pid: number | null;
  comm: string | null;
  uid: number | null;
  gid: number | null;
}

export interface JournalReply {
  entries: JournalEntryMessage[];
  total_count: number;
  /** True when older entries were left out. */
  truncated: boolean;
  /** Epoch seconds. */
  cached_at: number;
}

export interface ErrorReply {
  error: string;
  request: string;
  /** The pid asked about; null when the argument was not a positive integer. Absent for requests without a pid. */
  pid?: number | null;
}

export function encodeProcessMetrics(details: ProcessDetails): ProcessMetricsReply {
  return {
    process: {
      pid: details.pid,
      name: details.name,
      command: details.command,
      cpu_usage: details.cpuPercent,
      mem_bytes: details.memoryBytes,
      virtual_mem_bytes: details.virtualMemoryBytes,
      thread_count: details.threadCount,
      status: details.status,
      parent_pid: details.parentPid ?? null,
      user_id: details.userId,
      group_id: details.groupId,
      start_time: msToSeconds(details.startTimeMs),
      cpu_time_user: Math.round(details.cpuUserMs * 1000),
      cpu_time_system: Math.round(details.cpuSystemMs * 1000),
      child_processes: [],
      threads: [],
    },
    cached_at: msToSeconds(details.timeMs),
  };
}

export function encodeJournal(entries: readonly JournalEntry[], truncated: boolean, timeMs: number): JournalReply {
  return {
    entries: entries.map((entry) => ({
      timestamp: new Date(entry.timeMs).toISOString(),
      priority: JOURNAL_PRIORITIES[Math.min(7, Math.max(0, Math.trunc(entry.priority)))] ?? 'Info',
      message: entry.message,
      unit: entry.unit ?? null,
      pid: entry.pid ?? null,
      comm: entry.command ?? null,
      uid: entry.userId ?? null,
      gid: entry.groupId ?? null,
    })),
    total_count: entries.length,
    truncated,
    cached_at: msToSeconds(timeMs),
  };
}

export function encodeError(kind: RequestKind, message: string, pid?: number | null): ErrorReply {
  const reply: ErrorReply = { error: message, request: REQUEST_NAME[kind] };
  if (pid !== undefined) reply.pid = pid;
  return reply;
}

const count = z.number().finite().nonnegative();

const processMetricsSchema = z.object({
  process: z.object({
    pid: count,
    name: z.string(),
    command: z.string(),
    cpu_usage: z.number().finite(),
    mem_bytes: count,
    virtual_mem_bytes: count,
    thread_count: count,
    status: z.string(),
    parent_pid: count.nullish(),
    user_id: count,
    group_id: count.optional(),
    start_time: count,
    cpu_time_user: count.optional(),
    cpu_time_system: count.optional(),
  }),
  cached_at: count,
});

const journalSchema = z.object({
  entries: z.array(
    z.object({
      timestamp: z.string(),
      priority: z.enum(JOURNAL_PRIORITIES),
      message: z.string(),
      unit: z.string().nullish(),
      pid: count.nullish(),
      comm: z.string().nullish(),
      uid: count.nullish(),
      gid: count.nullish(),
    }),
  ),
  truncated: z.boolean(),
  cached_at: count,
});

const errorSchema = z.object({ error: z.string(), request: z.string(), pid: count.nullish() });

export function decodeProcessMetrics(value: unknown): ProcessDetails | null {
  const parsed = processMetricsSchema.safeParse(value);
  if (!parsed.success) return null;
  const { process, cached_at } = parsed.data;
  const details: ProcessDetails = {
    pid: process.pid,
    name: process.name,
    command: process.command,
    cpuPercent: process.cpu_usage,
    memoryBytes: process.mem_bytes,
    virtualMemoryBytes: process.virtual_mem_bytes,
    threadCount: process.thread_count,
    status: process.status,
    userId: process.user_id,
    groupId: process.group_id ?? 0,
    startTimeMs: process.start_time * 1000,
    cpuUserMs: (process.cpu_time_user ?? 0) / 1000,
    cpuSystemMs: (process.cpu_time_system ?? 0) / 1000,
    timeMs: cached_at * 1000,
  };
  if (process.parent_pid != null) details.parentPid = process.parent_pid;
  return details;
}

export function decodeJournal(value: unknown): { entries: JournalEntry[]; truncated: boolean; timeMs: number } | null {
  const parsed = journalSchema.safeParse(value);
  if (!parsed.success) return null;
  const entries = parsed.data.entries.map((entry) => {
    const decoded: JournalEntry = { timeMs: Date.parse(entry.timestamp) || 0, priority: JOURNAL_PRIORITIES.indexOf(entry.priority), message: entry.message };
    if (entry.unit != null) decoded.unit = entry.unit;
    if (entry.pid != null) decoded.pid = entry.pid;
    if (entry.comm != null) decoded.command = entry.comm;
    if (entry.uid != null) decoded.userId = entry.uid;
    if (entry.gid != null) decoded.groupId = entry.gid;
    return decoded;
  });
  return { entries, truncated: parsed.data.truncated, timeMs: parsed.data.cached_at * 1000 };
}

export function decodeError(value: unknown): { message: string; request: string; pid?: number | null } | null {
  const parsed = errorSchema.safeParse(value);
  if (!parsed.success) return null;
  return { message: parsed.data.error, request: parsed.data.request, pid: parsed.data.pid };
}
