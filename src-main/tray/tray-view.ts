// What the tray shows for a fleet: the icon state (the worst host's), the tooltip and the menu, as data.
// Pure: the Electron layer (tray-controller.ts) only turns this into a Tray and a Menu.

import { formatPercent } from '../../proto/format';
import type { FleetHostState, FleetSnapshot } from '../../src-renderer/platform/platform';

type FleetHost = FleetSnapshot['hosts'][number];

/**
 * How bad each state is. An alert is worse than a host gone silent: someone set its threshold, and it
 * needs acting on; offline is worse than a warning because nothing is known about that host at all.
 */
export const STATE_RANK: Record<FleetHostState, number> = { ok: 0, warning: 1, offline: 2, alert: 3 };

export type TrayMenuItem =
  | { kind: 'host'; hostKey: string; label: string; state: FleetHostState }
  | { kind: 'more'; label: string }
  | { kind: 'separator' }
  | { kind: 'open'; label: string }
  | { kind: 'pause'; label: string }
  | { kind: 'resume'; label: string }
  | { kind: 'quit'; label: string };

export interface TrayView {
  icon: FleetHostState;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayViewOptions {
  nowMs: number;
  /** Alerts are paused until then (epoch ms); absent or past means not paused. */
  pausedUntilMs?: number;
  /** Clock time for "paused until"; injected so tests do not depend on the locale. */
  formatTime?: (epochMs: number) => string;
  /** Windows cuts tray tooltips at 127 characters. */
  tooltipMaxChars?: number;
  menuMaxHosts?: number;
}

export const PAUSE_ALERTS_MS = 60 * 60 * 1000;

/** No hosts means nothing is known yet: the offline icon, not a reassuring green. */
export function worstState(hosts: readonly FleetHost[]): FleetHostState {
  if (hosts.length === 0) return 'offline';
  return hosts.reduce<FleetHostState>((worst, host) => (STATE_RANK[host.state] > STATE_RANK[worst] ? host.state : worst), 'ok');
}

/** "gpu-box — CPU 45 % · GPU 80 %", with the state when it is not ok. */
export function hostLine(host: FleetHost): string {
  const figures = [`CPU ${formatPercent(host.cpuPercent, 0)}`, ...(host.gpuPercent !== undefined ? [`GPU ${formatPercent(host.gpuPercent, 0)}`] : [])];
  return `${host.name} — ${figures.join(' · ')}${host.state === 'ok' ? '' : ` (${host.state})`}`;
}

function summary(hosts: readonly FleetHost[]): string {
  if (hosts.length === 0) return 'FleetWatch — no hosts yet';
  const counts = (['alert', 'offline', 'warning'] as const).map((state) => [state, hosts.filter((host) => host.state === state).length] as const).filter(([, count]) => count > 0);
  const detail = counts.length === 0 ? 'all ok' : counts.map(([state, count]) => `${count} ${state}`).join(', ');
  return `FleetWatch — ${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${detail}`;
}

/** Worst first, then by name, so the hosts that need attention survive truncation. */
function ordered(hosts: readonly FleetHost[]): FleetHost[] {
  return [...hosts].sort((a, b) => STATE_RANK[b.state] - STATE_RANK[a.state] || a.name.localeCompare(b.name));
}

export function isPaused(options: Pick<TrayViewOptions, 'nowMs' | 'pausedUntilMs'>): boolean {
  return options.pausedUntilMs !== undefined && options.pausedUntilMs > options.nowMs;
}

function defaultFormatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function trayView(fleet: FleetSnapshot, options: TrayViewOptions): TrayView {
  const hosts = ordered(fleet.hosts);
  const formatTime = options.formatTime ?? defaultFormatTime;
  const pausedUntil = isPaused(options) ? formatTime(options.pausedUntilMs!) : undefined;
  return {
    icon: worstState(hosts),
    tooltip: tooltip(hosts, pausedUntil && `Alerts paused until ${pausedUntil}`, options.tooltipMaxChars ?? 127),
    menu: menu(hosts, pausedUntil, options.menuMaxHosts ?? 15),
  };
}

function tooltip(hosts: readonly FleetHost[], pausedLine: string | undefined, maxChars: number): string {
  const lines = [summary(hosts), ...(pausedLine ? [pausedLine] : [])];
  for (let index = 0; index < hosts.length; index++) {
    const left = hosts.length - index - 1;
    const next = [...lines, hostLine(hosts[index]!), ...(left > 0 ? [`+${left} more`] : [])];
    if (next.join('\n').length > maxChars) {
      lines.push(`+${hosts.length - index} more`);
      break;
    }
    lines.push(hostLine(hosts[index]!));
  }
  const text = lines.join('\n');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function menu(hosts: readonly FleetHost[], pausedUntil: string | undefined, maxHosts: number): TrayMenuItem[] {
  const items: TrayMenuItem[] = hosts.slice(0, maxHosts).map((host) => ({ kind: 'host', hostKey: host.key, label: hostLine(host), state: host.state }));
  if (hosts.length > maxHosts) items.push({ kind: 'more', label: `${hosts.length - maxHosts} more hosts…` });
  if (items.length > 0) items.push({ kind: 'separator' });
  items.push({ kind: 'open', label: 'Open FleetWatch' });
  items.push(pausedUntil ? { kind: 'resume', label: `Resume alerts (paused until ${pausedUntil})` } : { kind: 'pause', label: 'Pause alerts for 1 h' });
  items.push({ kind: 'separator' }, { kind: 'quit', label: 'Quit FleetWatch' });
  return items;
}
