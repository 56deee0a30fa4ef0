import { describe, expect, it } from 'vitest';
import { wireTimeToMs } from './units';

describe('wireTimeToMs', () => {
  it('reads epoch seconds, epoch ms and ISO 8601', () => {
    expect(wireTimeToMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(wireTimeToMs(1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(wireTimeToMs('2026-12-01T06:00:00.000Z')).toBe(Date.UTC(2026, 11, 1, 6));
  });

  it('refuses what no Date can hold, so encoding the time again cannot throw', () => {
    for (const hostile of [1e308, -1e308, 2 ** 53 + 1, 8.64e15 + 1, Number.NaN, Infinity, 'not a time', null, {}, [1]]) {
      const timeMs = wireTimeToMs(hostile);
      expect(timeMs, String(hostile)).toBeUndefined();
    }
    expect(() => new Date(wireTimeToMs(8.64e15)!).toISOString()).not.toThrow();
  });
});
