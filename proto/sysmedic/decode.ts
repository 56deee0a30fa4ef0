// SysMedic decoder: real and documented frames into the model. Pure and total: anything that is not a
// SysMedic message, or is malformed, gives null. `config` messages (the real daemon's, holding its secret)
// are recognized and dropped unread.

import { z } from 'zod';
import type { HostEvent, Sample } from '../model';
import { clampPercent, parseJson, wireTimeToMs } from '../units';
import { parseLoad, parseUptime } from './formats';
import type { RequestId } from './wire';

const finite = z.number().finite();
const text = (max: number) => z.string().max(max);
const wireTime = z.union([text(64), finite]).optional();
const requestIdSchema = z.union([text(128), finite]);

const metricsSchema = z.object({
  cpu_usage: finite,
  memory_usage: finite.optional(),
  disk_usage: finite.optional(),
  uptime: text(64).optional(),
});

const welcomeSchema = z.object({
  type: z.literal('welcome'),
  data: z.object({ message: text(256), version: text(64).optional(), system: text(256).optional(), status: text(64).optional() }),
  timestamp: wireTime,
});

const daemonAlertSchema = z.object({
  ID: z.union([finite, text(64)]).optional(),
  Timestamp: wireTime,
  Severity: text(32).optional(),
  Message: text(1024).optional(),
  PrimaryCause: text(1024).optional(),
  Resolved: z.boolean().optional(),
});

const systemUpdateSchema = z.object({
  type: z.literal('system_update'),
  data: metricsSchema,
  timestamp: wireTime,
  // The real daemon's extras; a malformed extra loses only itself, never the reading.
  alerts: z.array(daemonAlertSchema).max(256).nullish().catch(null),
  system: z
    .object({ system: z.object({ load1: finite, load5: finite, load15: finite }) })
    .nullish()
    .catch(null),
});

const alertSchema = z.object({
  type: z.literal('alert'),
  data: z.object({
    status: text(64).optional(),
    system_metrics: z.object({ cpu_usage: finite.optional(), memory_usage: finite.optional(), disk_usage: finite.optional() }).nullish().catch(null),
    primary_cause: text(1024).optional(),
  }),
  timestamp: wireTime,
});

const responseSchema = z.object({ type: text(64), request_id: requestIdSchema, data: z.unknown(), timestamp: wireTime });
const systemInfoSchema = metricsSchema.extend({ load_avg: z.unknown() });
const errorDataSchema = z.object({ error: text(1024) });

type AlertEvent = Extract<HostEvent, { kind: 'alert' }>;

export type DecodedSysmedic =
  | { kind: 'welcome'; message: string; osName?: string; serverStatus?: string; version?: string }
  | { kind: 'system_update'; sample: Sample; alerts: { id: string; event: AlertEvent }[] }
  | { kind: 'alert'; event: AlertEvent }
  | { kind: 'response'; type: string; requestId: RequestId; sample?: Sample; error?: string }
  /** The daemon's configuration dump: recognized so that it is dropped unread. */
  | { kind: 'config' };

/** Decodes one text frame; returns null for anything that is not a SysMedic message. */
export function decodeSysmedic(frame: string, nowMs: number): DecodedSysmedic | null {
  const parsed = parseJson(frame);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const type = (parsed as { type?: unknown }).type;
  if (type === 'config') return { kind: 'config' };
  if ((parsed as { request_id?: unknown }).request_id !== undefined) return decodeResponse(parsed, nowMs);

  const welcome = welcomeSchema.safeParse(parsed);
  if (welcome.success) {
    const { message, system, status, version } = welcome.data.data;
    return { kind: 'welcome', message, osName: system || undefined, serverStatus: status || undefined, version };
  }
  const update = systemUpdateSchema.safeParse(parsed);
  if (update.success) {
    const sample = metricsSample(update.data.data, wireTimeToMs(update.data.timestamp) ?? nowMs);
    const loads = update.data.system?.system;
    if (loads && sample.cpu) sample.cpu.load = [loads.load1, loads.load5, loads.load15];
    return { kind: 'system_update', sample, alerts: daemonAlerts(update.data.alerts ?? [], nowMs) };
  }
  const alert = alertSchema.safeParse(parsed);
  if (alert.success) return { kind: 'alert', event: alertEvent(alert.data.data, wireTimeToMs(alert.data.timestamp) ?? nowMs) };
  return null;
}

function decodeResponse(parsed: unknown, nowMs: number): DecodedSysmedic | null {
  const response = responseSchema.safeParse(parsed);
  if (!response.success) return null;
  const { type, request_id: requestId, data, timestamp } = response.data;
  if (type === 'error') {
    const error = errorDataSchema.safeParse(data);
    return { kind: 'response', type, requestId, error: error.success ? error.data.error : 'error' };
  }
  if (type !== 'system_info_response') return { kind: 'response', type, requestId };
  const info = systemInfoSchema.safeParse(data);
  if (!info.success) return { kind: 'response', type, requestId };
  const sample = metricsSample(info.data, wireTimeToMs(timestamp) ?? nowMs);
  const load = parseLoad(info.data.load_avg);
  if (load && sample.cpu) sample.cpu.load = load;
  return { kind: 'response', type, requestId, sample };
}

function metricsSample(data: z.infer<typeof metricsSchema>, timeMs: number): Sample {
  const sample: Sample = { timeMs, cpu: { totalPercent: clampPercent(data.cpu_usage) } };
  if (data.memory_usage !== undefined) sample.memory = { usedPercent: clampPercent(data.memory_usage) };
  if (data.disk_usage !== undefined) sample.diskUsedPercent = clampPercent(data.disk_usage);
  const uptimeSec = data.uptime === undefined ? undefined : parseUptime(data.uptime);
  if (uptimeSec !== undefined) sample.uptimeSec = uptimeSec;
  return sample;
}

function metricOf(cause: string): AlertEvent['metric'] {
  if (/\bcpu\b/i.test(cause)) return 'cpu';
  if (/memory|\bram\b/i.test(cause)) return 'memory';
  if (/disk/i.test(cause)) return 'disk';
  return undefined;
}

function alertEvent(data: z.infer<typeof alertSchema>['data'], timeMs: number): AlertEvent {
  const status = data.status?.trim() ?? '';
  const cause = data.primary_cause?.trim() ?? '';
  const metric = metricOf(cause);
  const metrics = data.system_metrics;
  const value = metric === 'cpu' ? metrics?.cpu_usage : metric === 'memory' ? metrics?.memory_usage : metric === 'disk' ? metrics?.disk_usage : undefined;
  const event: AlertEvent = {
    kind: 'alert',
    timeMs,
    severity: /heavy|critical/i.test(status) ? 'critical' : 'warning',
    message: [status, cause].filter((part) => part).join(': ') || 'SysMedic alert',
  };
  if (metric) event.metric = metric;
  if (value !== undefined) event.valuePercent = clampPercent(value);
  return event;
}

const DAEMON_SEVERITY: Record<string, AlertEvent['severity']> = { heavy: 'critical', medium: 'warning', light: 'info' };

function daemonAlerts(alerts: z.infer<typeof daemonAlertSchema>[], nowMs: number): { id: string; event: AlertEvent }[] {
  return alerts.flatMap((alert) => {
    if (alert.Resolved === true) return [];
    const message = alert.Message?.trim() || alert.PrimaryCause?.trim() || 'SysMedic alert';
    const timeMs = wireTimeToMs(alert.Timestamp) ?? nowMs;
    const event: AlertEvent = { kind: 'alert', timeMs, severity: DAEMON_SEVERITY[alert.Severity?.toLowerCase() ?? ''] ?? 'warning', message };
    const metric = metricOf(`${alert.Message ?? ''} ${alert.PrimaryCause ?? ''}`);
    if (metric) event.metric = metric;
    return [{ id: alert.ID === undefined ? `${timeMs}:${message}` : String(alert.ID), event }];
  });
}
