import { describe, expect, it } from 'vitest';
import { sparklinePaths, sparklineStart } from './sparkline-path';

const geometry = { width: 120, height: 28, fromMs: 0, toMs: 300_000, max: 100 };
const pointsIn = (path: string): number => (path.match(/[ML]/g) ?? []).length;

describe('sparkline path', () => {
  it('draws at most one point per pixel column for five minutes at 1 Hz', () => {
    const points = Array.from({ length: 300 }, (_, second) => ({ x: second * 1000, y: 50 }));
    const { line } = sparklinePaths(points, geometry);
    expect(pointsIn(line)).toBeLessThanOrEqual(121);
    expect(pointsIn(line)).toBeGreaterThanOrEqual(119);
  });

  it('keeps a one-second spike that shares its column with quieter seconds', () => {
    const points = Array.from({ length: 300 }, (_, second) => ({ x: second * 1000, y: second === 151 ? 100 : 10 }));
    const { line } = sparklinePaths(points, geometry);
    // y = 1 is the top edge: height − 1 − (100 / 100) × (height − 2).
    expect(line).toContain('L60 1L');
  });

  it('maps values into the box, clamped, and closes the area along the baseline', () => {
    const { line, area } = sparklinePaths([{ x: 0, y: 0 }, { x: 300_000, y: 250 }], geometry);
    expect(line).toBe('M0 27L120 1');
    expect(area).toBe('M0 27L120 1L120 28L0 28Z');
  });

  it('draws nothing without points and no area for a single point', () => {
    expect(sparklinePaths([], geometry)).toEqual({ line: '', area: '' });
    expect(sparklinePaths([{ x: 150_000, y: 50 }], geometry)).toEqual({ line: 'M60 14', area: '' });
  });

  it('spans the history a new host has (at least a minute), and the whole window once history fills it', () => {
    const toMs = 1_000_000;
    const fromMs = toMs - 300_000;
    expect(sparklineStart([{ x: toMs - 20_000 }], fromMs, toMs)).toBe(toMs - 60_000);
    expect(sparklineStart([{ x: toMs - 150_000 }], fromMs, toMs)).toBe(toMs - 150_000);
    expect(sparklineStart([{ x: toMs - 400_000 }], fromMs, toMs)).toBe(fromMs);
    expect(sparklineStart([], fromMs, toMs)).toBe(fromMs);
  });
});
