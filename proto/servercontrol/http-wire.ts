// ServerControl's HTTP API bodies (the real server's endpoints, default port 8080): wire types and a pure
// codec. RAM in MiB, task ids decimal strings. No I/O here; the agent's HTTP server does that.

import { z } from 'zod';
import type { Snapshot } from '../model';
import { bytesToMib, parseJson, round1 } from '../units';

/** `POST /exec` answer. */
export interface ExecResponse {
  task_id: string;
}

/** One row of `GET /tasks`. */
export interface TaskSummary {
  id: string;
  running: boolean;
  command: string;
}

/** `GET /logs?id=N`: everything the task wrote (stdout and stderr interleaved) that is still kept. */
export interface LogsResponse {
  logs: string;
}

/** `GET /stats`. */
export interface StatsResponse {
  /** Percent. */
  cpu: number;
  /** MiB. */
  ram_used: number;
  /** MiB. */
  ram_total: number;
}

export interface HostnameResponse {
  hostname: string;
}

/** Every refusal and failure: a human sentence, never a stack or a secret. */
export interface ErrorResponse {
  error: string;
}

export function encodeStats({ host, sample }: Snapshot): StatsResponse {
  return {
    cpu: round1(sample.cpu?.totalPercent ?? 0),
    ram_used: bytesToMib(sample.memory?.usedBytes ?? 0),
    ram_total: bytesToMib(sample.memory?.totalBytes ?? host.memoryTotalBytes ?? 0),
  };
}

/** Longest command `/exec` accepts. */
export const MAX_COMMAND_LENGTH = 16 * 1024;

// The real server reads `cmd`; `command` is accepted too because task_start and /tasks name it that way.
const execRequestSchema = z.union([
  z.object({ cmd: z.string() }).transform((body) => body.cmd),
  z.object({ command: z.string() }).transform((body) => body.command),
]);

/** Reads a `POST /exec` body: the command, or why it is not one. */
export function decodeExecRequest(body: string): { command: string } | { error: string } {
  const parsed = parseJson(body);
  if (parsed === undefined) return { error: 'The body must be JSON: {"cmd":"..."}' };
  const result = execRequestSchema.safeParse(parsed);
  if (!result.success) return { error: 'The body needs a string "cmd" (or "command")' };
  const command = result.data;
  if (command.trim() === '') return { error: 'The command is empty' };
  if (command.length > MAX_COMMAND_LENGTH) return { error: `The command is longer than ${MAX_COMMAND_LENGTH} characters` };
  if (command.includes('\0')) return { error: 'The command contains a NUL character' };
  return { command };
}

/** A task id from `?id=`: a decimal string counting from 1, or null. */
export function parseTaskId(value: string | null): string | null {
  return value !== null && /^[1-9][0-9]{0,15}$/.test(value) ? value : null;
}
