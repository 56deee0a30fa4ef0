import { describe, expect, it } from 'vitest';
import type { AppNotification } from '../../src-renderer/platform/platform';
import { NotificationGate } from './notification-gate';

const cpu = (host: string, value: number, severity: AppNotification['severity'] = 'warning'): AppNotification => ({
  id: `${host}/cpu-high`,
  title: `${host}: CPU high`,
  body: `CPU at ${value} % for 30 s`,
  severity,
  hostKey: host,
});

describe('NotificationGate', () => {
  it('shows a new alert and suppresses the same one repeated soon after', () => {
    const gate = new NotificationGate({ repeatAfterMs: 60_000 });
    expect(gate.decide(cpu('a', 95), { nowMs: 0 })).toEqual({ show: true, replacesPrevious: false });
    expect(gate.decide(cpu('a', 95), { nowMs: 30_000 })).toEqual({ show: false, reason: 'repeat' });
    expect(gate.decide(cpu('a', 95), { nowMs: 61_000 })).toEqual({ show: true, replacesPrevious: true });
  });

  it('shows an updated alert with the same id, replacing the previous one', () => {
    const gate = new NotificationGate();
    gate.decide(cpu('a', 95), { nowMs: 0 });
    expect(gate.decide(cpu('a', 99), { nowMs: 1000 })).toEqual({ show: true, replacesPrevious: true });
  });

  it('silences alerts while paused but still shows info notices', () => {
    const gate = new NotificationGate();
    expect(gate.decide(cpu('a', 95, 'critical'), { nowMs: 0, pausedUntilMs: 3_600_000 })).toEqual({ show: false, reason: 'paused' });
    expect(gate.decide({ id: 'agent', title: 'Agent stopped', body: 'Retry from the window', severity: 'info' }, { nowMs: 0, pausedUntilMs: 3_600_000 }).show).toBe(true);
    expect(gate.decide(cpu('a', 95), { nowMs: 3_600_001, pausedUntilMs: 3_600_000 }).show).toBe(true);
  });

  it('rate-limits a flood of warnings but lets a critical alert through', () => {
    const gate = new NotificationGate({ maxPerWindow: 3, rateWindowMs: 60_000 });
    const shown = ['a', 'b', 'c', 'd', 'e'].map((host, index) => gate.decide(cpu(host, 95), { nowMs: index * 1000 }).show);
    expect(shown).toEqual([true, true, true, false, false]);
    expect(gate.decide(cpu('f', 99, 'critical'), { nowMs: 6000 }).show).toBe(true);
    expect(gate.decide(cpu('g', 95), { nowMs: 61_000 }).show).toBe(true);
  });

  it('remembers a bounded number of ids', () => {
    const gate = new NotificationGate({ maxRemembered: 2, maxPerWindow: 100 });
    gate.decide(cpu('a', 95), { nowMs: 0 });
    gate.decide(cpu('b', 95), { nowMs: 1 });
    gate.decide(cpu('c', 95), { nowMs: 2 });
    // 'a' was forgotten, so it shows again at once; 'c' is still remembered.
    expect(gate.decide(cpu('a', 95), { nowMs: 3 }).show).toBe(true);
    expect(gate.decide(cpu('c', 95), { nowMs: 4 }).show).toBe(false);
  });
});
