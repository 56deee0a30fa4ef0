import { describe, expect, it } from 'vitest';
import { describeAlert, ThresholdAlerts } from './threshold-alerts';

const make = (historySize = 50) => new ThresholdAlerts({ thresholdPercent: { cpu: 80, memory: 90 }, hysteresisPercent: 5, cooldownMs: 60_000, historySize });
const calm = { cpu: 10, memory: 10 };

describe('threshold alerts', () => {
  it('raises once on the rising edge and not again while the value stays high', () => {
    const alerts = make();
    expect(alerts.evaluate(calm, 0)).toEqual([]);
    expect(alerts.evaluate({ cpu: 85, memory: 10 }, 1000)).toEqual([{ metric: 'cpu', valuePercent: 85, thresholdPercent: 80, raisedAtMs: 1000 }]);
    for (let second = 2; second < 300; second++) expect(alerts.evaluate({ cpu: 99, memory: 10 }, second * 1000)).toEqual([]);
  });

  it('does not re-arm on a dip that stays inside the hysteresis margin', () => {
    const alerts = make();
    alerts.evaluate({ cpu: 85, memory: 10 }, 0);
    expect(alerts.evaluate({ cpu: 76, memory: 10 }, 100_000)).toEqual([]);
    expect(alerts.evaluate({ cpu: 85, memory: 10 }, 200_000)).toEqual([]);
    expect(alerts.summary().unresolvedCount).toBe(1);
  });

  it('re-arms below threshold minus hysteresis, resolving the open alert, and raises again only after the cooldown', () => {
    const alerts = make();
    alerts.evaluate({ cpu: 85, memory: 10 }, 0);
    alerts.evaluate({ cpu: 70, memory: 10 }, 10_000);
    expect(alerts.summary()).toMatchObject({ unresolvedCount: 0, totalCount: 1, status: 'No active alerts', recent: [{ resolved: true }] });
    expect(alerts.evaluate({ cpu: 90, memory: 10 }, 30_000)).toEqual([]);
    expect(alerts.evaluate({ cpu: 90, memory: 10 }, 60_000)).toHaveLength(1);
    expect(alerts.summary()).toMatchObject({ unresolvedCount: 1, totalCount: 2, status: '1 active alert' });
  });

  it('tracks CPU and memory independently and raises both in one reading', () => {
    const alerts = make();
    expect(alerts.evaluate({ cpu: 95, memory: 95 }, 0).map((alert) => alert.metric)).toEqual(['cpu', 'memory']);
    expect(alerts.summary().status).toBe('2 active alerts');
    alerts.evaluate({ cpu: 10, memory: 95 }, 1000);
    expect(alerts.summary().unresolvedCount).toBe(1);
  });

  it('keeps a bounded history, newest first, while counting every alert ever raised', () => {
    const alerts = make(3);
    for (let round = 0; round < 10; round++) {
      alerts.evaluate({ cpu: 90, memory: 10 }, round * 120_000);
      alerts.evaluate(calm, round * 120_000 + 1000);
    }
    const summary = alerts.summary();
    expect(summary.totalCount).toBe(10);
    expect(summary.recent.map((alert) => alert.timeMs)).toEqual([9 * 120_000, 8 * 120_000, 7 * 120_000]);
  });

  it('describes an alert with its value and threshold', () => {
    expect(describeAlert({ metric: 'memory', valuePercent: 93.44, thresholdPercent: 90, raisedAtMs: 0 })).toBe('High system memory usage: 93.4% (threshold 90%)');
  });
});
