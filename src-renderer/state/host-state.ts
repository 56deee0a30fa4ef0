// Each machine's state at a glance (ok / warning / alert / offline), the fleet summary, and the tray's
// snapshot. Pure functions of the machines and the alerts; no timers.

import type { FleetHostState, FleetSnapshot } from '../platform/platform';
import { PROTOCOLS } from '../../proto/protocols';
import type { Machine } from '../../fleet/fleet';
import { maxOverGpus } from '../../fleet/sample-columns';

export interface Severity {
  /** The worst active alert on the host, if any. */
  alert?: 'warning' | 'critical';
  /** A rule is above its threshold but not yet for long enough. */
  pending?: boolean;
}

export function hostState(machine: Machine, severity: Severity): FleetHostState {
  if (machine.status !== 'online') return 'offline';
  if (severity.alert === 'critical') return 'alert';
  if (severity.alert === 'warning' || severity.pending) return 'warning';
  return 'ok';
}

/**
 * Worse states sort first: an alert needs a person now, and a host that does not answer is worse than one
 * heading for a threshold. One order for the overview, the chips, the summary and the tray.
 */
export const STATE_RANK: Record<FleetHostState, number> = { alert: 0, offline: 1, warning: 2, ok: 3 };

export const STATE_LABELS: Record<FleetHostState, string> = { ok: 'OK', warning: 'Warning', alert: 'Alert', offline: 'Offline' };

export interface FleetSummary {
  up: number;
  /** Offline, refused for credentials, or given up on. */
  down: number;
  /** Not answered yet but not given up on: every host starts here, so it must not read as down. */
  connecting: number;
  /** Hosts in the Alert and Warning states, counted as the overview's chips count them. */
  alert: number;
  warning: number;
  total: number;
}

/** A machine not answered yet and not given up on: counted as connecting, not down, and drawn with a spinner. */
export function isPending(status: Machine['status']): boolean {
  return status === 'detecting' || status === 'connecting';
}

export function summarize(states: readonly { machine: Machine; state: FleetHostState }[]): FleetSummary {
  const connecting = states.filter((entry) => isPending(entry.machine.status)).length;
  const up = states.filter((entry) => entry.machine.status === 'online').length;
  return {
    total: states.length,
    up,
    down: states.length - up - connecting,
    connecting,
    alert: states.filter((entry) => entry.state === 'alert').length,
    warning: states.filter((entry) => entry.state === 'warning').length,
  };
}

/**
 * The first of a machine's endpoints that was refused or gave up, in words with its protocol's name. A
 * browser hides a refused upgrade's 401, so a credentialed endpoint that never opened counts too.
 */
export function endpointProblem(machine: Pick<Machine, 'endpoints'>): string | undefined {
  for (const { protocol, state, everConnected } of machine.endpoints) {
    const { label, credential } = PROTOCOLS[protocol];
    if (state.status === 'auth-required' || state.status === 'failed') return `${label}: ${state.reason}`;
    if (state.status === 'reconnecting' && !everConnected && credential) return `${label}: ${state.reason} It may need its ${credential.label}.`;
  }
  return undefined;
}

export function gpuPercent(machine: Machine): number | undefined {
  return maxOverGpus(machine.sample?.gpus, (gpu) => gpu.utilizationPercent);
}

/** One row per machine for the shell's tray. Values are rounded so the snapshot changes only when it shows. */
export function fleetSnapshot(states: readonly { machine: Machine; state: FleetHostState }[]): FleetSnapshot {
  return {
    hosts: states.map(({ machine, state }) => {
      const cpu = machine.sample?.cpu?.totalPercent;
      const gpu = gpuPercent(machine);
      return {
        key: machine.key,
        name: machine.local ? `This computer (${machine.name})` : machine.name,
        state,
        ...(cpu !== undefined && state !== 'offline' ? { cpuPercent: Math.round(cpu) } : {}),
        ...(gpu !== undefined && state !== 'offline' ? { gpuPercent: Math.round(gpu) } : {}),
      };
    }),
  };
}

/** Above these a figure turns amber, then red, on cards and in the table alike. */
export const WARNING_PERCENT = 75;
export const CRITICAL_PERCENT = 90;

export function percentLevel(value: number | undefined): 'none' | 'ok' | 'warning' | 'alert' {
  if (value === undefined || !Number.isFinite(value)) return 'none';
  return value >= CRITICAL_PERCENT ? 'alert' : value >= WARNING_PERCENT ? 'warning' : 'ok';
}
