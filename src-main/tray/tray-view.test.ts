import { describe, expect, it } from 'vitest';
import type { FleetSnapshot } from '../../src-renderer/platform/platform';
import { hostLine, trayView, worstState } from './tray-view';

const at = (hours: number, minutes: number): number => Date.UTC(2026, 0, 1, hours, minutes);
const formatTime = (epochMs: number): string => new Date(epochMs).toISOString().slice(11, 16);
const NOW = at(12, 0);

const fleet: FleetSnapshot = {
  hosts: [
    { key: 'a', name: 'alpha', state: 'ok', cpuPercent: 12.4, gpuPercent: 80.6 },
    { key: 'b', name: 'bravo', state: 'alert', cpuPercent: 97 },
    { key: 'c', name: 'charlie', state: 'offline' },
    { key: 'd', name: 'delta', state: 'warning', cpuPercent: 91.2, gpuPercent: 3 },
  ],
};

describe('tray view', () => {
  it('shows the worst state of the fleet, alert above offline above warning', () => {
    expect(worstState(fleet.hosts)).toBe('alert');
    expect(worstState(fleet.hosts.filter((host) => host.state !== 'alert'))).toBe('offline');
    expect(worstState([{ key: 'x', name: 'x', state: 'warning' }, { key: 'y', name: 'y', state: 'ok' }])).toBe('warning');
    expect(worstState([{ key: 'x', name: 'x', state: 'ok' }])).toBe('ok');
  });

  it('shows offline when nothing is known yet', () => {
    const view = trayView({ hosts: [] }, { nowMs: NOW, formatTime });
    expect(view.icon).toBe('offline');
    expect(view.tooltip).toBe('FleetWatch — no hosts yet');
  });

  it('lists each host with its CPU and GPU percent, worst first', () => {
    expect(hostLine(fleet.hosts[0]!)).toBe('alpha — CPU 12 % · GPU 81 %');
    expect(hostLine(fleet.hosts[2]!)).toBe('charlie — CPU — (offline)');
    const view = trayView(fleet, { nowMs: NOW, formatTime, tooltipMaxChars: 1000 });
    expect(view.tooltip.split('\n')).toEqual([
      'FleetWatch — 4 hosts: 1 alert, 1 offline, 1 warning',
      'bravo — CPU 97 % (alert)',
      'charlie — CPU — (offline)',
      'delta — CPU 91 % · GPU 3 % (warning)',
      'alpha — CPU 12 % · GPU 81 %',
    ]);
  });

  it('keeps the tooltip within the Windows limit and says how many hosts it left out', () => {
    const many: FleetSnapshot = { hosts: Array.from({ length: 40 }, (_, index) => ({ key: `h${index}`, name: `host-${String(index).padStart(2, '0')}`, state: 'ok' as const, cpuPercent: index })) };
    const tooltip = trayView(many, { nowMs: NOW, formatTime }).tooltip;
    expect(tooltip.length).toBeLessThanOrEqual(127);
    expect(tooltip.split('\n').at(-1)).toMatch(/^\+\d+ more$/);
    const shown = tooltip.split('\n').length - 2;
    expect(tooltip.split('\n').at(-1)).toBe(`+${40 - shown} more`);
  });

  it('builds the menu: hosts, Open, Pause alerts for 1 h, Quit', () => {
    const view = trayView(fleet, { nowMs: NOW, formatTime });
    expect(view.menu.map((item) => item.kind)).toEqual(['host', 'host', 'host', 'host', 'separator', 'open', 'pause', 'separator', 'quit']);
    expect(view.menu[0]).toEqual({ kind: 'host', hostKey: 'b', label: 'bravo — CPU 97 % (alert)', state: 'alert' });
    expect(view.menu.find((item) => item.kind === 'pause')).toEqual({ kind: 'pause', label: 'Pause alerts for 1 h' });
  });

  it('offers Resume while paused and says until when, in the menu and the tooltip', () => {
    const view = trayView(fleet, { nowMs: NOW, pausedUntilMs: at(13, 0), formatTime, tooltipMaxChars: 1000 });
    expect(view.menu.find((item) => item.kind === 'resume')).toEqual({ kind: 'resume', label: 'Resume alerts (paused until 13:00)' });
    expect(view.tooltip.split('\n')[1]).toBe('Alerts paused until 13:00');
    expect(trayView(fleet, { nowMs: at(13, 1), pausedUntilMs: at(13, 0), formatTime }).menu.some((item) => item.kind === 'pause')).toBe(true);
  });

  it('caps the menu and offers the rest through the window', () => {
    const many: FleetSnapshot = { hosts: Array.from({ length: 20 }, (_, index) => ({ key: `h${index}`, name: `h${index}`, state: 'ok' as const })) };
    const menu = trayView(many, { nowMs: NOW, formatTime, menuMaxHosts: 15 }).menu;
    expect(menu.filter((item) => item.kind === 'host')).toHaveLength(15);
    expect(menu.find((item) => item.kind === 'more')).toEqual({ kind: 'more', label: '5 more hosts…' });
  });
});
