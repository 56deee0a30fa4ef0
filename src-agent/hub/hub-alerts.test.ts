import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Machine } from '../../fleet/fleet';
import { HubAlerts } from './hub-alerts';

const dirs: string[] = [];
function alertsFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetwatch-alerts-'));
  dirs.push(dir);
  return path.join(dir, 'alerts.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function machine(key: string, status: Machine['status'], cpuPercent = 10): Machine {
  return { key, sourceId: key, sourceName: key, local: false, name: key, protocols: ['servercontrol'], tags: [], endpoints: [], status, capabilities: [], parts: [], ...(status === 'online' ? { sample: { timeMs: 0, cpu: { totalPercent: cpuPercent } } } : {}) };
}

function alertsAt(file: string, clock: { nowMs: number }, offlineAfterMs = 60_000): { alerts: HubAlerts; problems: string[] } {
  const problems: string[] = [];
  return { alerts: new HubAlerts({ file, now: () => clock.nowMs, offlineAfterMs, onProblem: (problem) => problems.push(problem) }), problems };
}

describe("the hub's alerts", () => {
  it('raises one critical alert for a host that stops answering, after the delay, and clears it when it answers', () => {
    const clock = { nowMs: 1_000_000 };
    const { alerts } = alertsAt(alertsFile(), clock);
    alerts.evaluate([machine('a', 'online')], new Set(['a']));
    for (let second = 0; second <= 59; second += 1) {
      clock.nowMs += 1000;
      alerts.evaluate([machine('a', 'offline')], new Set());
    }
    expect(alerts.takeNotifications()).toEqual([]);
    clock.nowMs += 1000;
    alerts.evaluate([machine('a', 'offline')], new Set());
    clock.nowMs += 1000;
    alerts.evaluate([machine('a', 'offline')], new Set());
    expect(alerts.takeNotifications()).toEqual([{ id: 'offline:a', title: 'a: not answering', body: expect.stringMatching(/^No reading for 1 minute/), severity: 'critical', hostKey: 'a' }]);
    expect(alerts.entries().filter((entry) => entry.clearedAtMs === undefined)).toHaveLength(1);
    alerts.evaluate([machine('a', 'online')], new Set(['a']));
    expect(alerts.entries()[0]!.clearedAtMs).toBe(clock.nowMs);
    expect(alerts.takeChanged()).toBe(true);
  });

  it('runs the rules once per machine: one shown as another raises nothing, and what it had raised clears', () => {
    const clock = { nowMs: 1_000_000 };
    const { alerts } = alertsAt(alertsFile(), clock);
    alerts.setRules({ rules: [{ id: 'cpu', metric: 'cpu', threshold: 50, forSeconds: 0, hysteresis: 5, cooldownSeconds: 0, severity: 'warning', enabled: true }], overrides: {} });
    const busy = [machine('shown', 'online', 95), machine('again', 'online', 95)];
    alerts.evaluate([busy[1]!], new Set(['again']));
    expect(alerts.takeNotifications().map((notification) => notification.hostKey)).toEqual(['again']);
    clock.nowMs += 1000;
    alerts.hide(['again']);
    alerts.evaluate(busy, new Set(['shown', 'again']), new Set(['again']));
    expect(alerts.takeNotifications().map((notification) => notification.hostKey)).toEqual(['shown']);
    expect(alerts.entries().filter((entry) => entry.clearedAtMs === undefined).map((entry) => entry.hostKey)).toEqual(['shown']);
  });

  it('clears an offline alert taken up after a restart at the first reading, and raises and clears it again on the next outage', () => {
    const file = alertsFile();
    const clock = { nowMs: 0 };
    const goDown = (alerts: HubAlerts): void => {
      for (let step = 0; step < 3; step += 1) {
        clock.nowMs += 60_000;
        alerts.evaluate([machine('a', 'offline')], new Set());
      }
    };
    const first = alertsAt(file, clock).alerts;
    goDown(first);
    first.save();
    const { alerts } = alertsAt(file, clock);
    const open = (): number => alerts.entries().filter((entry) => entry.clearedAtMs === undefined).length;
    expect(open()).toBe(1);
    alerts.evaluate([machine('a', 'online')], new Set(['a']));
    expect(open()).toBe(0);
    goDown(alerts);
    expect(alerts.takeNotifications().map((notification) => notification.id)).toEqual(['offline:a']);
    expect(open()).toBe(1);
    clock.nowMs += 1000;
    alerts.evaluate([machine('a', 'online')], new Set(['a']));
    expect(alerts.entries().find((entry) => entry.clearedAtMs === undefined)).toBeUndefined();
    expect(alerts.entries().at(-1)!.clearedAtMs).toBe(clock.nowMs);
  });

  it('never raises the offline alert when it is turned off', () => {
    const clock = { nowMs: 0 };
    const { alerts } = alertsAt(alertsFile(), clock, 0);
    for (let step = 0; step < 10; step += 1) {
      clock.nowMs += 60_000;
      alerts.evaluate([machine('a', 'failed')], new Set());
    }
    expect(alerts.entries()).toEqual([]);
  });

  it('keeps alerts, acknowledgements and rules across a restart, and a rule still firing does not notify twice', () => {
    const file = alertsFile();
    const clock = { nowMs: 0 };
    const first = alertsAt(file, clock).alerts;
    first.setRules({ rules: [{ id: 'cpu', metric: 'cpu', threshold: 50, forSeconds: 0, hysteresis: 5, cooldownSeconds: 0, severity: 'warning', enabled: true }], overrides: {} });
    first.evaluate([machine('busy', 'online', 90)], new Set(['busy']));
    expect(first.takeNotifications().map((notification) => notification.title)).toEqual(['busy: CPU 90 %']);
    expect(first.acknowledge(undefined)).toBe(1);
    first.save();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    clock.nowMs += 5000;
    const { alerts: second } = alertsAt(file, clock);
    expect(second.ruleSet.rules.map((rule) => rule.id)).toEqual(['cpu']);
    expect(second.entries()[0]).toMatchObject({ id: 'alert:busy:cpu', acknowledgedAtMs: 0 });
    second.evaluate([machine('busy', 'online', 95)], new Set(['busy']));
    expect(second.takeNotifications()).toEqual([]);
    expect(second.entries()).toEqual([expect.objectContaining({ acknowledgedAtMs: 0, raisedAtMs: 0 })]);
    second.evaluate([machine('busy', 'online', 10)], new Set(['busy']));
    expect(second.entries()[0]!.clearedAtMs).toBe(5000);
  });

  it('starts with the default rules, and says so, when its file cannot be used', () => {
    const file = alertsFile();
    writeFileSync(file, '{"version":1,"rules":{"rules":"no"}}');
    const { alerts, problems } = alertsAt(file, { nowMs: 0 });
    expect(problems).toEqual([expect.stringMatching(/alerts\.json could not be used .*; starting with the default rules\./)]);
    expect(alerts.ruleSet.rules.length).toBeGreaterThan(0);
    expect(readFileSync(file, 'utf8')).toContain('"no"');
  });
});
