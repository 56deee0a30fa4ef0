// ServerControl (`ping`) WebSocket frames: wire types, the encoders and the client-request reader a server
// uses. RAM is in MiB on the wire ("MB"), timestamps in epoch milliseconds; task ids are decimal strings.
// No I/O here. Decoding a server's frames, with its schemas, is in decode.ts: a server never loads zod.

import type { Snapshot } from '../model';
import { bytesToMib, parseJson, round1 } from '../units';

/** Sent by the server to every client once a second. */
export interface StatsUpdateMessage {
  type: 'stats_update';
  /** Percent, whole machine. */
  cpu: number;
  /** MiB, total − available. */
  ram_used: number;
  /** MiB. */
  ram_total: number;
  /** Epoch ms. */
  timestamp: number;
  /** Newer servers only. */
  hostname?: string;
}

export interface CpuAlertMessage {
  type: 'cpu_alert';
  /** Percent. */
  cpu: number;
  hostname: string;
  message: string;
  /** Epoch ms. */
  timestamp: number;
}

export interface PongMessage {
  type: 'pong';
  /** Epoch ms. */
  timestamp: number;
}

/** The real server sends no timestamp with task_start or task_complete. */
export interface TaskStartMessage {
  type: 'task_start';
  task_id: string;
  command: string;
}

export interface TaskOutputMessage {
  type: 'task_output';
  task_id: string;
  /** A chunk of stdout or stderr as it came, not necessarily a whole line. */
  output: string;
  /** Epoch ms. */
  timestamp: number;
}

export interface TaskCompleteMessage {
  type: 'task_complete';
  task_id: string;
  exit_code: number;
}

export type ServerControlMessage = StatsUpdateMessage | CpuAlertMessage | PongMessage | TaskStartMessage | TaskOutputMessage | TaskCompleteMessage;

export const PING_MESSAGE = '{"type":"ping"}';

export function encodeStatsUpdate({ host, sample }: Snapshot): StatsUpdateMessage {
  return {
    type: 'stats_update',
    cpu: round1(sample.cpu?.totalPercent ?? 0),
    ram_used: bytesToMib(sample.memory?.usedBytes ?? 0),
    ram_total: bytesToMib(sample.memory?.totalBytes ?? host.memoryTotalBytes ?? 0),
    timestamp: sample.timeMs,
    hostname: host.hostname,
  };
}

/** The real server's text, with the threshold it was configured with. */
export function cpuAlertText(thresholdPercent: number): string {
  return `CPU usage exceeded ${thresholdPercent}%!`;
}

export function encodeCpuAlert(cpuPercent: number, hostname: string, thresholdPercent: number, timeMs: number): CpuAlertMessage {
  return { type: 'cpu_alert', cpu: round1(cpuPercent), hostname, message: cpuAlertText(thresholdPercent), timestamp: timeMs };
}

export function encodePong(timeMs: number): PongMessage {
  return { type: 'pong', timestamp: timeMs };
}

export function encodeTaskStart(taskId: string, command: string): TaskStartMessage {
  return { type: 'task_start', task_id: taskId, command };
}

export function encodeTaskOutput(taskId: string, output: string, timeMs: number): TaskOutputMessage {
  return { type: 'task_output', task_id: taskId, output, timestamp: timeMs };
}

export function encodeTaskComplete(taskId: string, exitCode: number): TaskCompleteMessage {
  return { type: 'task_complete', task_id: taskId, exit_code: exitCode };
}

/** What a client asked of the server. Only `ping` means anything; everything else is ignored. */
export type ClientRequest = { kind: 'ping' };

/** Decodes one frame a client sent; `request_id` and any other key are ignored, as the real server does. */
export function decodeClientRequest(text: string): ClientRequest | null {
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return (parsed as { type?: unknown }).type === 'ping' ? { kind: 'ping' } : null;
}
