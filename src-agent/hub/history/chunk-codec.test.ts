import { describe, expect, it } from 'vitest';
import { addAggregates, aggregateMinute, decodeAggregates, decodeMinute, encodeAggregates, encodeMinute, type Rollup } from './chunk-codec';

describe('stored history rows', () => {
  it('keeps four significant digits of each column and marks absent values', () => {
    const minute = { seconds: [0, 1, 2, 5], values: new Map([[1, [12.34, 12.5, NaN, 99.99]], [2, [16e9, 16.002e9, 15.9e9, 16.1e9]]]) };
    const decoded = decodeMinute(encodeMinute(minute));
    expect(decoded.seconds).toEqual([0, 1, 2, 5]);
    expect(decoded.values.get(1)).toEqual([12.34, 12.5, NaN, 99.99]);
    expect(decoded.values.get(2)).toEqual([16e9, 16e9, 15.9e9, 16.1e9]);
  });

  it('stores a minute of slowly moving percentages in about a byte per value', () => {
    const values = Array.from({ length: 60 }, (_, second) => 40 + Math.sin(second / 5) * 3);
    const bytes = encodeMinute({ seconds: values.map((_, second) => second), values: new Map([[7, values]]) });
    expect(bytes.length).toBeLessThan(60 + 60 * 1.3 + 8);
  });

  it('stores percentages sent with one decimal in tenths, so a step of a few percent takes one byte', () => {
    const values = Array.from({ length: 60 }, (_, second) => Math.round((40 + (second % 2 === 0 ? 5 : -5)) * 10) / 10);
    const bytes = encodeMinute({ seconds: values.map((_, second) => second), values: new Map([[1, values]]) });
    // Format, count, "consecutive", first second, column, exponent, then one byte per value.
    expect(bytes.length).toBe(6 + 60);
    expect(decodeMinute(bytes).values.get(1)).toEqual(values);
  });

  it('rolls minutes up into min, mean and max and back out of the bytes', () => {
    const first = aggregateMinute({ seconds: [0, 1, 2], values: new Map([[3, [10, 20, 30]]]) });
    const second = aggregateMinute({ seconds: [0, 1], values: new Map([[3, [40, NaN]], [4, [NaN, NaN]]]) });
    expect(first.get(3)).toEqual({ min: 10, mean: 20, max: 30 });
    expect(second.has(4)).toBe(false);
    const rollups = new Map<number, Rollup>();
    addAggregates(rollups, first);
    addAggregates(rollups, second);
    const hour = new Map([...rollups].map(([column, rollup]) => [column, rollup.aggregate]));
    expect(decodeAggregates(encodeAggregates(hour)).get(3)).toEqual({ min: 10, mean: 30, max: 40 });
  });

  it('refuses a row of a format it does not read, and one cut short', () => {
    expect(() => decodeMinute(Uint8Array.of(9, 0))).toThrow(/format 9/);
    expect(() => decodeMinute(Uint8Array.of(1, 2, 0))).toThrow(/ends inside a number/);
  });
});
