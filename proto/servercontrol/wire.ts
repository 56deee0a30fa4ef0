// ServerControl (`ping`) WebSocket frames: wire types and a pure codec. RAM is in MiB on the wire ("MB"),
// timestamps in epoch milliseconds; task ids are decimal strings. No I/O here.

import { z } from 'zod';
import type { HostEvent, Sample, Snapshot } from '../model';
import { bytesToMib, mibToBytes, parseJson, percentOf, round1, wireTimeToMs } from '../units';

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

const finite = z.number().finite();
// Every real server sends task ids as strings; a number is read the same way rather than dropped.
const taskId = z.union([z.string().max(64), z.number().int().nonnegative()]).transform(String);

const statsUpdateSchema = z.object({
  type: z.literal('stats_update'),
  cpu: finite,
  ram_used: finite.nonnegative().optional(),
  ram_total: finite.nonnegative().optional(),
  timestamp: finite.optional(),
  hostname: z.string().max(255).optional(),
});

const cpuAlertSchema = z.object({
  type: z.literal('cpu_alert'),
  cpu: finite.optional(),
  hostname: z.string().max(255).optional(),
  message: z.string().max(1000).optional(),
  timestamp: finite.optional(),
});

const pongSchema = z.object({ type: z.literal('pong'), timestamp: finite.optional() });

const taskStartSchema = z.object({ type: z.literal('task_start'), task_id: taskId, command: z.string() });
const taskOutputSchema = z.object({ type: z.literal('task_output'), task_id: taskId, output: z.string(), timestamp: finite.optional() });
const taskCompleteSchema = z.object({ type: z.literal('task_complete'), task_id: taskId, exit_code: z.number().int().nullish() });

export type DecodedServerControl =
  | { kind: 'stats_update'; sample: Sample; hostname?: string }
  | { kind: 'cpu_alert'; event: HostEvent; hostname?: string }
  | { kind: 'pong'; timeMs?: number }
  | { kind: 'task'; event: HostEvent };

/** Decodes one frame a server sent; null for anything that is not a message of this protocol. */
export function decodeServerControl(text: string, nowMs: number): DecodedServerControl | null {
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null) return null;
  switch ((parsed as { type?: unknown }).type) {
    case 'stats_update': {
      const message = statsUpdateSchema.safeParse(parsed);
      return message.success ? { kind: 'stats_update', sample: toSample(message.data, nowMs), hostname: message.data.hostname || undefined } : null;
    }
    case 'cpu_alert': {
      const message = cpuAlertSchema.safeParse(parsed);
      if (!message.success) return null;
      const { cpu, hostname, timestamp } = message.data;
      const event: HostEvent = {
        kind: 'alert',
        timeMs: wireTimeToMs(timestamp) ?? nowMs,
        severity: 'warning',
        metric: 'cpu',
        message: message.data.message || (cpu === undefined ? 'CPU usage is high' : `CPU usage is ${round1(cpu)}%`),
        ...(cpu === undefined ? {} : { valuePercent: cpu }),
      };
      return { kind: 'cpu_alert', event, hostname: hostname || undefined };
    }
    case 'pong': {
      const message = pongSchema.safeParse(parsed);
      return message.success ? { kind: 'pong', timeMs: wireTimeToMs(message.data.timestamp) } : null;
    }
    case 'task_start': {
      const message = taskStartSchema.safeParse(parsed);
      return message.success ? { kind: 'task', event: { kind: 'task-start', timeMs: nowMs, taskId: message.data.task_id, command: message.data.command } } : null;
    }
    case 'task_output': {
      const message = taskOutputSchema.safeParse(parsed);
      if (!message.success) return null;
      const { task_id, output, timestamp } = message.data;
      return { kind: 'task', event: { kind: 'task-output', timeMs: wireTimeToMs(timestamp) ?? nowMs, taskId: task_id, output } };
    }
    case 'task_complete': {
      const message = taskCompleteSchema.safeParse(parsed);
      return message.success ? { kind: 'task', event: { kind: 'task-complete', timeMs: nowMs, taskId: message.data.task_id, exitCode: message.data.exit_code ?? null } } : null;
    }
    default:
      return null;
  }
}

function toSample(message: z.infer<typeof statsUpdateSchema>, nowMs: number): Sample {
  const totalBytes = message.ram_total === undefined ? undefined : mibToBytes(message.ram_total);
  const usedBytes = message.ram_used === undefined ? undefined : mibToBytes(message.ram_used);
  const sample: Sample = { timeMs: wireTimeToMs(message.timestamp) ?? nowMs, cpu: { totalPercent: message.cpu } };
  if (usedBytes !== undefined || totalBytes !== undefined) {
    sample.memory = { usedPercent: totalBytes && usedBytes !== undefined ? percentOf(usedBytes, totalBytes) : 0, totalBytes, usedBytes };
  }
  return sample;
}

/** What a client asked of the server. Only `ping` means anything; everything else is ignored. */
export type ClientRequest = { kind: 'ping' };

/** Decodes one frame a client sent; `request_id` and any other key are ignored, as the real server does. */
export function decodeClientRequest(text: string): ClientRequest | null {
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  return (parsed as { type?: unknown }).type === 'ping' ? { kind: 'ping' } : null;
}
