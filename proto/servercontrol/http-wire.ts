// ServerControl's HTTP API bodies (the real server's endpoints, default port 8080): wire types and a pure
// codec. RAM in MiB, task ids decimal strings. No I/O here; the agent's HTTP server does that. The /exec
// body's reader, with its schema, is in exec-request.ts: the API loads zod only when a command comes.

import type { Snapshot } from '../model';
import { bytesToMib, round1 } from '../units';

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

/** A task id from `?id=`: a decimal string counting from 1, or null. */
export function parseTaskId(value: string | null): string | null {
  return value !== null && /^[1-9][0-9]{0,15}$/.test(value) ? value : null;
}
