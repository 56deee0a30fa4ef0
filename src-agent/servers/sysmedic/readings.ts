// Turns the sampler's snapshot into the figures SysMedic reports: root filesystem usage, per-user usage,
// the status classification and an alert's cause and advice. Pure; sampling happens in the server.

import type { DiskSample, ProcessSample, Sample } from '../../../proto/model';
import { percentOf } from '../../../proto/units';
import type { AlertReport, UserUsage } from '../../../proto/sysmedic/wire';
import { describeAlert, type AlertMetric, type RaisedAlert } from './threshold-alerts';

/** Users listed in a reply or an alert, busiest first; enough to find the culprit, small enough for one frame. */
export const MAX_USERS_LISTED = 50;
const ALERT_USERS_LISTED = 5;
/** The real classification: "Medium Usage" above this, whatever the thresholds. */
const MEDIUM_USAGE_PERCENT = 60;

/**
 * The root filesystem's usage as `df` and the real daemon (psutil) give it: used over used + available, so
 * the blocks reserved for root count as free, and the same figure the other protocols report for `/`.
 * Where there is no `/` mount (Windows), the share across every filesystem. One decimal.
 */
export function rootDiskPercent(disks: readonly DiskSample[] | undefined): number {
  if (!disks || disks.length === 0) return 0;
  const root = disks.find((disk) => disk.mountPoint === '/');
  if (root?.usedPercent !== undefined) return round1(root.usedPercent);
  const chosen = root ? [root] : disks;
  const usedBytes = chosen.reduce((sum, disk) => sum + (disk.usedBytes ?? 0), 0);
  const usableBytes = chosen.reduce((sum, disk) => sum + (disk.availableBytes !== undefined ? (disk.usedBytes ?? 0) + disk.availableBytes : (disk.totalBytes ?? 0)), 0);
  return usableBytes > 0 ? round1(percentOf(usedBytes, usableBytes)) : 0;
}

/** Processes grouped by owner, busiest CPU first. */
export function usersFrom(processes: readonly ProcessSample[] | undefined, memoryTotalBytes: number | undefined, limit = MAX_USERS_LISTED): UserUsage[] {
  const byUser = new Map<string, { cpuPercent: number; memoryBytes: number; processCount: number }>();
  for (const row of processes ?? []) {
    const username = row.user || 'unknown';
    const entry = byUser.get(username) ?? { cpuPercent: 0, memoryBytes: 0, processCount: 0 };
    entry.cpuPercent += row.cpuPercent;
    entry.memoryBytes += row.memoryBytes;
    entry.processCount += 1;
    byUser.set(username, entry);
  }
  return [...byUser]
    .map(([username, entry]) => ({
      username,
      cpuPercent: round1(Math.min(100, entry.cpuPercent)),
      memoryPercent: round1(Math.min(100, percentOf(entry.memoryBytes, memoryTotalBytes ?? 0))),
      processCount: entry.processCount,
    }))
    .sort((a, b) => b.cpuPercent - a.cpuPercent || b.memoryPercent - a.memoryPercent)
    .slice(0, limit);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** "Heavy Load" over a threshold, "Medium Usage" over 60 %, else "Light Usage", as real SysMedic classifies. */
export function systemStatus(sample: Sample, thresholdPercent: Record<AlertMetric, number>): string {
  const cpu = sample.cpu?.totalPercent ?? 0;
  const memory = sample.memory?.usedPercent ?? 0;
  if (cpu > thresholdPercent.cpu || memory > thresholdPercent.memory) return 'Heavy Load';
  if (cpu > MEDIUM_USAGE_PERCENT || memory > MEDIUM_USAGE_PERCENT) return 'Medium Usage';
  return 'Light Usage';
}

export function alertReport(alert: RaisedAlert, sample: Sample, users: UserUsage[]): AlertReport {
  const busiest = [...users].sort((a, b) => (alert.metric === 'cpu' ? b.cpuPercent - a.cpuPercent : b.memoryPercent - a.memoryPercent)).slice(0, ALERT_USERS_LISTED);
  const recommendations =
    alert.metric === 'cpu'
      ? ['Check CPU-intensive processes', 'Consider lowering the priority of batch jobs']
      : ['Check memory-intensive processes', 'Consider restarting services that leak memory'];
  if (busiest[0]) recommendations.push(`Monitor user: ${busiest[0].username}`);
  return { timeMs: alert.raisedAtMs, status: 'Heavy Load', sample, users: busiest, primaryCause: describeAlert(alert), recommendations };
}
