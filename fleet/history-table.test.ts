import { describe, expect, it } from 'vitest';
import { HistoryTable } from './history-table';

const limits = { retentionMs: 10_000, initialRows: 4, maxRows: 64, maxColumns: 3 };

describe('HistoryTable', () => {
  it('returns points oldest first and leaves gaps out', () => {
    const table = new HistoryTable(limits);
    table.push(1000, { cpu: 10 });
    table.push(2000, { cpu: 20, mem: 50 });
    table.push(3000, { mem: 55 });
    expect(table.points('cpu')).toEqual([
      { x: 1000, y: 10 },
      { x: 2000, y: 20 },
    ]);
    expect(table.points('mem')).toEqual([
      { x: 2000, y: 50 },
      { x: 3000, y: 55 },
    ]);
    expect(table.latest('cpu')).toBe(20);
    expect(table.latest('mem')).toBe(55);
  });

  it('grows until it spans the retention window, then overwrites the oldest rows', () => {
    const table = new HistoryTable(limits);
    for (let second = 0; second < 40; second++) table.push(second * 1000, { cpu: second });
    // 1 row per second and 10 s of retention: 16 rows are enough, and it never grows past them.
    expect(table.capacity).toBe(16);
    expect(table.rows).toBe(16);
    expect(table.oldestTimeMs).toBe(24_000);
    expect(table.latestTimeMs).toBe(39_000);
    expect(table.points('cpu').map((point) => point.y)).toEqual(Array.from({ length: 16 }, (_, index) => 24 + index));
  });

  it('keeps at least the retention window at a slow rate with fewer rows', () => {
    const table = new HistoryTable(limits);
    for (let step = 0; step < 30; step++) table.push(step * 5000, { cpu: step });
    expect(table.capacity).toBe(4);
    expect(table.latestTimeMs! - table.oldestTimeMs!).toBeGreaterThanOrEqual(limits.retentionMs);
  });

  it('never grows past maxRows, whatever the rate', () => {
    const table = new HistoryTable({ ...limits, maxRows: 8 });
    for (let step = 0; step < 1000; step++) table.push(step, { cpu: step });
    expect(table.capacity).toBe(8);
    expect(table.points('cpu').map((point) => point.y)).toEqual([992, 993, 994, 995, 996, 997, 998, 999]);
  });

  it('keeps values in order across a growth that happens after the ring wrapped', () => {
    const table = new HistoryTable({ retentionMs: 100, initialRows: 4, maxRows: 16, maxColumns: 2 });
    // Fast rows fill and wrap the ring; then slower rows make it grow mid-ring.
    for (let time = 1; time <= 6; time++) table.push(time * 100, { cpu: time });
    for (let time = 7; time <= 12; time++) table.push(600 + (time - 6) * 10, { cpu: time });
    const values = table.points('cpu').map((point) => point.y);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(values.at(-1)).toBe(12);
  });

  it('drops a row that is not newer than the last one, so charts stay sorted', () => {
    const table = new HistoryTable(limits);
    expect(table.push(2000, { cpu: 1 })).toBe(true);
    expect(table.push(2000, { cpu: 2 })).toBe(false);
    expect(table.push(1000, { cpu: 3 })).toBe(false);
    expect(table.points('cpu')).toEqual([{ x: 2000, y: 1 }]);
  });

  it('returns only points since a given time', () => {
    const table = new HistoryTable(limits);
    for (let second = 0; second < 10; second++) table.push(second * 1000, { cpu: second });
    expect(table.points('cpu', 7000).map((point) => point.y)).toEqual([7, 8, 9]);
    expect(table.values('cpu', 8500)).toEqual([9]);
  });

  it('ignores columns beyond its bound, so a hostile source cannot grow it by inventing names', () => {
    const table = new HistoryTable(limits);
    table.push(1000, { a: 1, b: 2, c: 3, d: 4, e: 5 });
    expect(table.keys()).toEqual(['a', 'b', 'c']);
    expect(table.byteSize).toBe(4 * 8 + 3 * 4 * 4);
  });
});
