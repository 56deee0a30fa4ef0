// The alerts list: rule alerts from the engine and alerts the servers sent, each acknowledgeable, and the
// notification each one raises. Pure data with the time passed in; it never calls the platform itself.

import { z } from 'zod';
import type { HostEvent } from '../../proto/model';
import { formatPercent, formatTemp } from '../../proto/format';
import type { AppNotification } from './notification';
import type { AlertMetric } from './rules';
import type { AlertTransition } from './alert-engine';

export const alertEntrySchema = z.object({
  /** Rule alerts: one per host and rule (a rule firing again replaces its entry). Server alerts: one each. */
  id: z.string().max(400),
  hostKey: z.string().max(300),
  hostName: z.string().max(300),
  /** `offline`: the hub's built-in rule for a host that stopped answering. */
  origin: z.enum(['rule', 'server', 'offline']),
  ruleId: z.string().max(64).optional(),
  severity: z.enum(['warning', 'critical']),
  title: z.string().max(1000),
  message: z.string().max(4000),
  raisedAtMs: z.number(),
  /** Rule and offline alerts: when the value dropped back, or the host answered again. */
  clearedAtMs: z.number().optional(),
  acknowledgedAtMs: z.number().optional(),
});
/** One alert in the list; the schema checks a stored list (the hub's alerts.json) before it is trusted. */
export type AlertEntry = z.infer<typeof alertEntrySchema>;

export interface AlertBookLimits {
  maxEntries: number;
  /** A server alert counts as active this long unless acknowledged first: servers never say it is over. */
  serverAlertActiveMs: number;
}

export const DEFAULT_ALERT_BOOK_LIMITS: AlertBookLimits = { maxEntries: 300, serverAlertActiveMs: 10 * 60 * 1000 };

export const METRIC_LABELS: Record<AlertMetric, string> = {
  cpu: 'CPU',
  memory: 'Memory',
  gpuUtilization: 'GPU utilization',
  gpuMemory: 'GPU memory',
  gpuTemp: 'GPU temperature',
};

export function formatMetricValue(metric: AlertMetric, value: number | undefined): string {
  return metric === 'gpuTemp' ? formatTemp(value) : formatPercent(value, 0);
}

export function offlineAlertId(hostKey: string): string {
  return `offline:${hostKey}`;
}

/** The notification id for a (host, rule) pair: the same id replaces the previous notification. */
export function ruleNotificationId(hostKey: string, ruleId: string): string {
  return `alert:${hostKey}:${ruleId}`;
}

export class AlertBook {
  private readonly list: AlertEntry[] = [];
  private serverSeq = 0;

  constructor(private readonly limits: AlertBookLimits = DEFAULT_ALERT_BOOK_LIMITS) {}

  /** Records a rule firing or clearing; returns the notification to raise for a firing. */
  applyTransition(transition: AlertTransition, hostName: string): AppNotification | undefined {
    const id = ruleNotificationId(transition.hostKey, transition.rule.id);
    if (transition.kind === 'cleared') {
      const entry = this.list.find((candidate) => candidate.id === id && candidate.clearedAtMs === undefined);
      if (entry) entry.clearedAtMs = transition.timeMs;
      return undefined;
    }
    const { rule } = transition;
    const label = METRIC_LABELS[rule.metric];
    const title = `${hostName}: ${label} ${formatMetricValue(rule.metric, transition.value)}`;
    const firing = this.list.find((candidate) => candidate.id === id && candidate.clearedAtMs === undefined);
    if (firing) {
      // Still the same alert (taken up again after a restart): it keeps when it began and who saw it.
      firing.title = title;
      return undefined;
    }
    const entry: AlertEntry = {
      id,
      hostKey: transition.hostKey,
      hostName,
      origin: 'rule',
      ruleId: rule.id,
      severity: rule.severity,
      title,
      message: `${label} above ${formatMetricValue(rule.metric, rule.threshold)}${rule.forSeconds > 0 ? ` for ${rule.forSeconds} s` : ''} (rule ${rule.id}).`,
      raisedAtMs: transition.timeMs,
    };
    this.remove(id);
    this.insert(entry);
    return { id, title: entry.title, body: entry.message, severity: entry.severity, hostKey: entry.hostKey };
  }

  /** Records an alert a server sent. Informational ones stay in the host's event panel only. */
  addServerAlert(hostKey: string, hostName: string, event: Extract<HostEvent, { kind: 'alert' }>, nowMs: number): AppNotification | undefined {
    if (event.severity === 'info') return undefined;
    this.serverSeq += 1;
    const entry: AlertEntry = {
      id: `server:${hostKey}:${this.serverSeq}`,
      hostKey,
      hostName,
      origin: 'server',
      severity: event.severity,
      title: `${hostName}: Server alert`,
      message: event.message,
      raisedAtMs: nowMs,
    };
    this.insert(entry);
    // One notification slot per host for server alerts: a burst of them replaces rather than piles up.
    return { id: `server-alert:${hostKey}`, title: entry.title, body: entry.message, severity: entry.severity, hostKey };
  }

  /** A host stopped answering a while ago: one alert until it answers again. */
  hostOffline(hostKey: string, hostName: string, sinceMs: number, nowMs: number): AppNotification | undefined {
    const id = offlineAlertId(hostKey);
    if (this.list.some((candidate) => candidate.id === id && candidate.clearedAtMs === undefined)) return undefined;
    const minutes = Math.max(1, Math.round((nowMs - sinceMs) / 60_000));
    const entry: AlertEntry = {
      id,
      hostKey,
      hostName,
      origin: 'offline',
      severity: 'critical',
      title: `${hostName}: not answering`,
      message: `No reading for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}; its connection keeps retrying.`,
      raisedAtMs: nowMs,
    };
    this.remove(id);
    this.insert(entry);
    return { id, title: entry.title, body: entry.message, severity: entry.severity, hostKey };
  }

  /** The host answers again: its offline alert clears. */
  hostBack(hostKey: string, nowMs: number): boolean {
    const entry = this.list.find((candidate) => candidate.id === offlineAlertId(hostKey) && candidate.clearedAtMs === undefined);
    if (!entry) return false;
    entry.clearedAtMs = nowMs;
    return true;
  }

  /** Every entry as stored: what a restart takes up again through restore(). */
  stored(): AlertEntry[] {
    return this.list.map((entry) => ({ ...entry }));
  }

  /** Replaces the list, oldest first as stored() gives it. */
  restore(entries: readonly AlertEntry[]): void {
    this.list.splice(0, this.list.length, ...entries.map((entry) => ({ ...entry })));
    this.serverSeq = Math.max(this.serverSeq, ...entries.filter((entry) => entry.origin === 'server').map((entry) => Number(entry.id.split(':').at(-1)) || 0));
  }

  acknowledge(id: string, nowMs: number): boolean {
    const entry = this.list.find((candidate) => candidate.id === id);
    if (!entry || entry.acknowledgedAtMs !== undefined) return false;
    entry.acknowledgedAtMs = nowMs;
    return true;
  }

  acknowledgeAll(nowMs: number): number {
    let count = 0;
    for (const entry of this.list) if (this.isActive(entry, nowMs) && entry.acknowledgedAtMs === undefined && this.acknowledge(entry.id, nowMs)) count += 1;
    return count;
  }

  /** Every entry, active ones first, newest first within each group. */
  entries(nowMs: number): AlertEntry[] {
    const active = this.list.filter((entry) => this.isActive(entry, nowMs));
    const past = this.list.filter((entry) => !this.isActive(entry, nowMs));
    return [...active.reverse(), ...past.reverse()];
  }

  /** Firing rule alerts, and server alerts not yet acknowledged or expired. */
  isActive(entry: AlertEntry, nowMs: number): boolean {
    if (entry.origin !== 'server') return entry.clearedAtMs === undefined;
    return entry.acknowledgedAtMs === undefined && nowMs - entry.raisedAtMs < this.limits.serverAlertActiveMs;
  }

  active(nowMs: number, hostKey?: string): AlertEntry[] {
    return this.entries(nowMs).filter((entry) => this.isActive(entry, nowMs) && (hostKey === undefined || entry.hostKey === hostKey));
  }

  /** Active alerts nobody has acknowledged yet: the badge count. */
  unacknowledged(nowMs: number): number {
    return this.list.filter((entry) => this.isActive(entry, nowMs) && entry.acknowledgedAtMs === undefined).length;
  }

  /** The worst severity active on a host. */
  hostSeverity(hostKey: string, nowMs: number): 'warning' | 'critical' | undefined {
    const active = this.active(nowMs, hostKey);
    if (active.some((entry) => entry.severity === 'critical')) return 'critical';
    return active.length > 0 ? 'warning' : undefined;
  }

  /** Clears a host's rule alerts still firing; true when there were any. */
  clearRuleAlerts(hostKey: string, nowMs: number): boolean {
    let cleared = false;
    for (const entry of this.list) {
      if (entry.hostKey !== hostKey || entry.origin !== 'rule' || entry.clearedAtMs !== undefined) continue;
      entry.clearedAtMs = nowMs;
      cleared = true;
    }
    return cleared;
  }

  forgetHost(hostKey: string): void {
    for (let index = this.list.length - 1; index >= 0; index--) if (this.list[index]!.hostKey === hostKey) this.list.splice(index, 1);
  }

  private insert(entry: AlertEntry): void {
    this.list.push(entry);
    if (this.list.length <= this.limits.maxEntries) return;
    // Drop the oldest entry that is over; an active alert is dropped only when every entry is active.
    const over = this.list.findIndex((candidate) => candidate.clearedAtMs !== undefined || candidate.acknowledgedAtMs !== undefined);
    this.list.splice(over >= 0 ? over : 0, 1);
  }

  private remove(id: string): void {
    const index = this.list.findIndex((candidate) => candidate.id === id);
    if (index >= 0) this.list.splice(index, 1);
  }
}
