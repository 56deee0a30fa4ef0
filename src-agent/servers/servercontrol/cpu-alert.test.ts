import { describe, expect, it } from 'vitest';
import { CpuAlertGate } from './cpu-alert';

describe('CpuAlertGate', () => {
  it('alerts only when CPU is strictly above the threshold', () => {
    const gate = new CpuAlertGate(90, 60_000);
    expect(gate.shouldAlert(90, 0)).toBe(false);
    expect(gate.shouldAlert(89.9, 1000)).toBe(false);
    expect(gate.shouldAlert(Number.NaN, 2000)).toBe(false);
    expect(gate.shouldAlert(90.1, 3000)).toBe(true);
  });

  it('alerts at most once per cooldown, then again once the cooldown has passed', () => {
    const gate = new CpuAlertGate(50, 60_000);
    const fired = [0, 1000, 30_000, 59_999, 60_000, 61_000, 120_000].filter((atMs) => gate.shouldAlert(99, atMs));
    expect(fired).toEqual([0, 60_000, 120_000]);
  });

  it('does not spend the cooldown on readings below the threshold', () => {
    const gate = new CpuAlertGate(50, 60_000);
    expect(gate.shouldAlert(10, 0)).toBe(false);
    expect(gate.shouldAlert(95, 1000)).toBe(true);
  });

  it('alerts on every reading above the threshold with a cooldown of zero', () => {
    const gate = new CpuAlertGate(50, 0);
    expect([1, 2, 3].map((atMs) => gate.shouldAlert(60, atMs))).toEqual([true, true, true]);
  });
});
