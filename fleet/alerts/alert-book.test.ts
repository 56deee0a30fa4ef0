import { describe, expect, it } from 'vitest';
import type { AlertRule } from './rules';
import { AlertBook } from './alert-book';

const rule: AlertRule = { id: 'gpu-hot', metric: 'gpuTemp', threshold: 85, forSeconds: 20, hysteresis: 5, cooldownSeconds: 300, severity: 'critical', enabled: true };

describe('AlertBook', () => {
  it('raises one notification per host and rule, with a stable id, and lists the alert as active', () => {
    const book = new AlertBook();
    const notification = book.applyTransition({ kind: 'fired', hostKey: 'srv-1', rule, value: 91.4, timeMs: 1000 }, 'gpu-box');
    expect(notification).toEqual({ id: 'alert:srv-1:gpu-hot', title: 'gpu-box: GPU temperature 91 °C', body: 'GPU temperature above 85 °C for 20 s (rule gpu-hot).', severity: 'critical', hostKey: 'srv-1' });
    expect(book.active(1000).map((entry) => entry.id)).toEqual(['alert:srv-1:gpu-hot']);
    expect(book.hostSeverity('srv-1', 1000)).toBe('critical');
    expect(book.unacknowledged(1000)).toBe(1);

    // Fired again while still firing (taken up after a restart): the same alert, no second notification.
    book.acknowledge(notification!.id, 2000);
    expect(book.applyTransition({ kind: 'fired', hostKey: 'srv-1', rule, value: 95, timeMs: 9000 }, 'gpu-box')).toBeUndefined();
    expect(book.entries(9000)).toEqual([expect.objectContaining({ title: 'gpu-box: GPU temperature 95 °C', raisedAtMs: 1000, acknowledgedAtMs: 2000 })]);
  });

  it('keeps a cleared alert in the list, no longer active', () => {
    const book = new AlertBook();
    book.applyTransition({ kind: 'fired', hostKey: 'h', rule, value: 90, timeMs: 1000 }, 'h');
    expect(book.applyTransition({ kind: 'cleared', hostKey: 'h', rule, value: 70, timeMs: 2000 }, 'h')).toBeUndefined();
    expect(book.active(2000)).toEqual([]);
    expect(book.entries(2000)[0]).toMatchObject({ clearedAtMs: 2000 });
    expect(book.hostSeverity('h', 2000)).toBeUndefined();
  });

  it('acknowledges one alert, and all at once', () => {
    const book = new AlertBook();
    book.applyTransition({ kind: 'fired', hostKey: 'a', rule, value: 90, timeMs: 1 }, 'a');
    book.applyTransition({ kind: 'fired', hostKey: 'b', rule, value: 90, timeMs: 2 }, 'b');
    expect(book.acknowledge('alert:a:gpu-hot', 10)).toBe(true);
    expect(book.acknowledge('alert:a:gpu-hot', 11)).toBe(false);
    expect(book.unacknowledged(12)).toBe(1);
    // Acknowledged is not over: the rule is still firing, so the host is still alerting.
    expect(book.hostSeverity('a', 12)).toBe('critical');
    expect(book.acknowledgeAll(13)).toBe(1);
    expect(book.unacknowledged(13)).toBe(0);
  });

  it('lists server alerts until acknowledged or expired, and ignores informational ones', () => {
    const book = new AlertBook({ maxEntries: 10, serverAlertActiveMs: 60_000 });
    const notification = book.addServerAlert('srv-2', 'web-1', { kind: 'alert', timeMs: 0, severity: 'warning', message: 'CPU usage exceeded 90%!' }, 1000);
    expect(notification).toMatchObject({ id: 'server-alert:srv-2', body: 'CPU usage exceeded 90%!', severity: 'warning', hostKey: 'srv-2' });
    expect(book.addServerAlert('srv-2', 'web-1', { kind: 'alert', timeMs: 0, severity: 'info', message: 'fyi' }, 1000)).toBeUndefined();
    expect(book.active(30_000)).toHaveLength(1);
    expect(book.active(61_001)).toHaveLength(0);
    expect(book.entries(61_001)).toHaveLength(1);
  });

  it('drops the oldest finished entries first when it is full', () => {
    const book = new AlertBook({ maxEntries: 3, serverAlertActiveMs: 60_000 });
    book.applyTransition({ kind: 'fired', hostKey: 'keep', rule, value: 90, timeMs: 0 }, 'keep');
    for (let index = 0; index < 5; index++) {
      const entry = book.addServerAlert(`s${index}`, 's', { kind: 'alert', timeMs: 0, severity: 'warning', message: `${index}` }, index);
      book.acknowledge(`server:s${index}:${index + 1}`, index);
      expect(entry).toBeDefined();
    }
    expect(book.entries(10)).toHaveLength(3);
    expect(book.active(10).map((entry) => entry.hostKey)).toEqual(['keep']);
  });

  it('raises one offline alert per host until it answers, and stores and restores its list', () => {
    const book = new AlertBook();
    expect(book.hostOffline('h', 'lab-1', 0, 120_000)).toMatchObject({ id: 'offline:h', title: 'lab-1: not answering', severity: 'critical' });
    expect(book.hostOffline('h', 'lab-1', 0, 130_000)).toBeUndefined();
    expect(book.hostSeverity('h', 130_000)).toBe('critical');
    const copy = new AlertBook();
    copy.restore(book.stored());
    expect(copy.hostBack('h', 140_000)).toBe(true);
    expect(copy.hostBack('h', 150_000)).toBe(false);
    expect(copy.active(150_000)).toEqual([]);
    expect(book.active(150_000)).toHaveLength(1);
  });

  it('forgets a removed host', () => {
    const book = new AlertBook();
    book.applyTransition({ kind: 'fired', hostKey: 'gone', rule, value: 90, timeMs: 0 }, 'gone');
    book.forgetHost('gone');
    expect(book.entries(0)).toEqual([]);
  });
});
