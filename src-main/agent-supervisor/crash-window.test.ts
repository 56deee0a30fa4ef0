import { describe, expect, it } from 'vitest';
import { CrashWindow } from './crash-window';

describe('CrashWindow', () => {
  it('calls five exits within a minute a crash loop', () => {
    const window = new CrashWindow({ exits: 5, windowMs: 60_000 });
    expect([0, 10_000, 20_000, 30_000].map((timeMs) => window.recordExit(timeMs))).toEqual([false, false, false, false]);
    expect(window.recordExit(59_000)).toBe(true);
  });

  it('forgets exits older than the window', () => {
    const window = new CrashWindow({ exits: 5, windowMs: 60_000 });
    for (const timeMs of [0, 20_000, 40_000, 61_000, 62_000]) expect(window.recordExit(timeMs)).toBe(false);
    expect(window.recordExit(81_000)).toBe(false);
    expect(window.recordExit(82_000)).toBe(true);
  });

  it('starts over after reset', () => {
    const window = new CrashWindow({ exits: 2, windowMs: 1000 });
    window.recordExit(0);
    window.reset();
    expect(window.recordExit(1)).toBe(false);
    expect(window.describe()).toBe('2 times within 1 s');
  });
});
