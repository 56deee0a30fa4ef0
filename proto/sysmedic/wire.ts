// SysMedic (`request_id`): wire types and the encoders (the decoder is decode.ts). Every message is
// `{type, data, timestamp, request_id?}`; percentages are 0–100, uptime is text ("2d 4h 32m"), timestamps
// ISO 8601 (the real daemon: epoch seconds). Nothing here ever encodes a secret.

import type { HostInfo, Sample } from '../model';
import { formatGoDuration, formatLoad, formatNetworkRate, formatUptime } from './formats';

/** The SysMedic API revision our messages follow, sent as `version`. */
export const SYSMEDIC_API_VERSION = '1.0.5';
export const WELCOME_TEXT = 'Connected to SysMedic';

/** Clients pick it; servers echo it. The real server reads strings; numbers are echoed as given. */
export type RequestId = string | number;

export interface Envelope<T extends string, D> {
  type: T;
  data: D;
  /** ISO 8601 from us and the request/response server; epoch seconds from the real daemon. */
  timestamp: string;
  request_id?: RequestId;
}

export interface WelcomeData {
  message: string;
  version: string;
  /** Operating system, e.g. "Debian GNU/Linux 12 (bookworm)". */
  system: string;
  /** "Light Usage", "Medium Usage" or "Heavy Load". */
  status: string;
  daemon: 'Running';
}

export interface SystemMetricsData {
  /** Percent. */
  cpu_usage: number;
  /** Percent. */
  memory_usage: number;
  /** Percent of the root filesystem. */
  disk_usage: number;
  /** "2d 4h 32m". */
  uptime: string;
}

export interface SystemInfoData extends SystemMetricsData {
  /** "0.13, 0.14, 0.18". */
  load_avg: string;
  /** Received plus sent, "0.00 MB/s" (MiB). */
  network_io: string;
}

export interface UserMetricsEntry {
  username: string;
  /** Percent of the whole machine. */
  cpu_percent: number;
  /** Percent of physical memory. */
  memory_percent: number;
  /** Process count. */
  processes: number;
}

export interface AlertData {
  status: string;
  system_metrics: Pick<SystemMetricsData, 'cpu_usage' | 'memory_usage' | 'disk_usage'>;
  user_metrics: UserMetricsEntry[];
  persistent_users: string[];
  primary_cause: string;
  recommendations: string[];
}

export interface AlertRecordData {
  /** ISO 8601. */
  timestamp: string;
  /** SysMedic's severities: light, medium, heavy. */
  severity: 'light' | 'medium' | 'heavy';
  message: string;
  resolved: boolean;
}

export interface AlertsData {
  unresolved_count: number;
  total_count: number;
  recent_alerts: AlertRecordData[];
  status: string;
}

export interface ConfigData {
  /** Go duration text, e.g. "5s" or "1m0s", as the real server sends it. */
  monitoring_interval: string;
  /** Percent. */
  cpu_threshold: number;
  /** Percent. */
  memory_threshold: number;
  version: string;
}

export interface RequestMessage {
  type: string;
  request_id: RequestId;
  data?: unknown;
}

/** Per-user usage, in model units, for `get_user_metrics` and alerts. */
export interface UserUsage {
  username: string;
  cpuPercent: number;
  memoryPercent: number;
  processCount: number;
}

/** What an alert broadcast says, in model units. */
export interface AlertReport {
  timeMs: number;
  status: string;
  sample: Sample;
  users: UserUsage[];
  primaryCause: string;
  recommendations: string[];
}

export interface AlertsSummary {
  unresolvedCount: number;
  totalCount: number;
  recent: { timeMs: number; severity: AlertRecordData['severity']; message: string; resolved: boolean }[];
  status: string;
}

export interface MonitorSettings {
  intervalSec: number;
  cpuThresholdPercent: number;
  memoryThresholdPercent: number;
}

function isoTime(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

function envelope<T extends string, D>(type: T, data: D, timeMs: number, requestId?: RequestId): Envelope<T, D> {
  const message: Envelope<T, D> = { type, data, timestamp: isoTime(timeMs) };
  if (requestId !== undefined) message.request_id = requestId;
  return message;
}

function systemMetrics(sample: Sample): SystemMetricsData {
  return {
    cpu_usage: sample.cpu?.totalPercent ?? 0,
    memory_usage: sample.memory?.usedPercent ?? 0,
    disk_usage: sample.diskUsedPercent ?? 0,
    uptime: sample.uptimeSec === undefined ? 'unknown' : formatUptime(sample.uptimeSec),
  };
}

function userEntry(user: UserUsage): UserMetricsEntry {
  return { username: user.username, cpu_percent: user.cpuPercent, memory_percent: user.memoryPercent, processes: user.processCount };
}

export function encodeWelcome(host: HostInfo, status: string, timeMs: number): Envelope<'welcome', WelcomeData> {
  const system = [host.os?.name, host.os?.version].filter((part) => part).join(' ') || 'Unknown';
  return envelope('welcome', { message: WELCOME_TEXT, version: SYSMEDIC_API_VERSION, system, status, daemon: 'Running' }, timeMs);
}

/** Needs `sample.diskUsedPercent` set by the caller (the root filesystem). */
export function encodeSystemUpdate(sample: Sample): Envelope<'system_update', SystemMetricsData> {
  return envelope('system_update', systemMetrics(sample), sample.timeMs);
}

export function encodeSystemInfoResponse(sample: Sample, requestId: RequestId | undefined): Envelope<'system_info_response', SystemInfoData> {
  const network = sample.network;
  const data: SystemInfoData = {
    ...systemMetrics(sample),
    load_avg: formatLoad(sample.cpu?.load ?? [0, 0, 0]),
    network_io: formatNetworkRate((network?.rxBytesPerSec ?? 0) + (network?.txBytesPerSec ?? 0)),
  };
  return envelope('system_info_response', data, sample.timeMs, requestId);
}

export function encodeUptimeResponse(sample: Sample, requestId: RequestId | undefined): Envelope<'uptime_response', { uptime: string }> {
  return envelope('uptime_response', { uptime: systemMetrics(sample).uptime }, sample.timeMs, requestId);
}

export function encodeUserMetricsResponse(users: UserUsage[], requestId: RequestId | undefined, timeMs: number): Envelope<'user_metrics_response', UserMetricsEntry[]> {
  return envelope('user_metrics_response', users.map(userEntry), timeMs, requestId);
}

export function encodeAlert(report: AlertReport): Envelope<'alert', AlertData> {
  const { cpu_usage, memory_usage, disk_usage } = systemMetrics(report.sample);
  return envelope(
    'alert',
    {
      status: report.status,
      system_metrics: { cpu_usage, memory_usage, disk_usage },
      user_metrics: report.users.map(userEntry),
      persistent_users: [],
      primary_cause: report.primaryCause,
      recommendations: report.recommendations,
    },
    report.timeMs,
  );
}

export function encodeAlertsResponse(summary: AlertsSummary, requestId: RequestId | undefined, timeMs: number): Envelope<'alerts_response', AlertsData> {
  return envelope(
    'alerts_response',
    {
      unresolved_count: summary.unresolvedCount,
      total_count: summary.totalCount,
      recent_alerts: summary.recent.map((alert) => ({ timestamp: isoTime(alert.timeMs), severity: alert.severity, message: alert.message, resolved: alert.resolved })),
      status: summary.status,
    },
    timeMs,
    requestId,
  );
}

export function encodeConfigResponse(settings: MonitorSettings, requestId: RequestId | undefined, timeMs: number): Envelope<'config_response', ConfigData> {
  return envelope(
    'config_response',
    {
      monitoring_interval: formatGoDuration(settings.intervalSec),
      cpu_threshold: settings.cpuThresholdPercent,
      memory_threshold: settings.memoryThresholdPercent,
      version: SYSMEDIC_API_VERSION,
    },
    timeMs,
    requestId,
  );
}

export function encodePong(requestId: RequestId | undefined, timeMs: number): Envelope<'pong', { message: 'pong' }> {
  return envelope('pong', { message: 'pong' }, timeMs, requestId);
}

export function encodeError(error: string, requestId: RequestId | undefined, timeMs: number): Envelope<'error', { error: string }> {
  return envelope('error', { error }, timeMs, requestId);
}

export function encodeRequest(type: string, requestId: RequestId): RequestMessage {
  return { type, request_id: requestId };
}
