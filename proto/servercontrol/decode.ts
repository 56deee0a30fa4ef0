// ServerControl (`ping`): decoding a server's WebSocket frames (wire.ts has the types and encoders).

import { z } from 'zod';
import type { HostEvent, Sample } from '../model';
import { mibToBytes, parseJson, percentOf, round1, wireTimeToMs } from '../units';

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
