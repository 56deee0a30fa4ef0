// Which disks the per-disk history chart draws: the fullest ones, as many as its legend and palette can
// tell apart. Pure; reads column names only, never a protocol.

import { COLUMN } from '../../fleet/sample-columns';

/** One line per disk up to the chart palette's eight colours; the disk list below the charts shows all. */
export const MAX_DISK_LINES = 8;

const DISK_PREFIX = COLUMN.disk('');

export interface DiskLine {
  /** The disk's history key (mount point, else device name). */
  key: string;
  /** The newest used percentage, when known. */
  percent?: number;
}

/** Disk keys of every per-disk history column. */
export function diskKeysOf(columns: Iterable<string>): string[] {
  const keys: string[] = [];
  for (const column of columns) if (column.startsWith(DISK_PREFIX)) keys.push(column.slice(DISK_PREFIX.length));
  return keys;
}

/**
 * The fullest disks first pick the lines (a nearly full disk is what someone opens this chart for), then
 * they are drawn in name order so each keeps its colour while the fullest set stays the same.
 */
export function chartedDisks<T extends DiskLine>(disks: readonly T[], limit = MAX_DISK_LINES): { shown: T[]; hidden: number; fullest?: T } {
  const byFullness = [...disks].sort((a, b) => (b.percent ?? -1) - (a.percent ?? -1) || byName(a, b)).slice(0, limit);
  const fullest = byFullness[0]?.percent !== undefined ? byFullness[0] : undefined;
  return { shown: byFullness.sort(byName), hidden: disks.length - byFullness.length, ...(fullest ? { fullest } : {}) };
}

function byName(a: DiskLine, b: DiskLine): number {
  return a.key.localeCompare(b.key, undefined, { numeric: true });
}
