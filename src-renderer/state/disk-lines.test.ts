import { describe, expect, it } from 'vitest';
import { chartedDisks, diskKeysOf, MAX_DISK_LINES } from './disk-lines';
import { COLUMN } from '../../fleet/sample-columns';

describe('disk lines', () => {
  it('finds the disks that have per-disk history among a host’s columns', () => {
    expect(diskKeysOf([COLUMN.cpu, COLUMN.diskOverall, COLUMN.disk('/'), COLUMN.disk('/data'), COLUMN.core(0)])).toEqual(['/', '/data']);
  });

  it('draws every disk, in name order, when there are few', () => {
    const { shown, hidden, fullest } = chartedDisks([
      { key: '/data', percent: 10 },
      { key: '/', percent: 50 },
      { key: '/boot' },
    ]);
    expect(shown.map((disk) => disk.key)).toEqual(['/', '/boot', '/data']);
    expect(hidden).toBe(0);
    expect(fullest?.key).toBe('/');
  });

  it('names no fullest disk when no disk reports a percentage', () => {
    expect(chartedDisks([{ key: '/' }]).fullest).toBeUndefined();
  });

  it('keeps the fullest disks when there are more than the chart tells apart', () => {
    const disks = Array.from({ length: 12 }, (_, index) => ({ key: `/mnt/d${index}`, percent: index * 8 }));
    const { shown, hidden } = chartedDisks(disks);
    expect(shown).toHaveLength(MAX_DISK_LINES);
    expect(hidden).toBe(12 - MAX_DISK_LINES);
    expect(shown.map((disk) => disk.key)).toEqual(['/mnt/d4', '/mnt/d5', '/mnt/d6', '/mnt/d7', '/mnt/d8', '/mnt/d9', '/mnt/d10', '/mnt/d11']);
  });
});
