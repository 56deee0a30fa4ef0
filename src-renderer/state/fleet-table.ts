// The fleet table's columns and order: what each column reads from a machine, and how a click on its
// header sorts the rows. Pure. Filtering and "Worst first" are the overview's own (overview-order.ts), so
// the cards and the table always agree on which hosts show and in what order by default.

import type { Machine } from '../../fleet/fleet';
import { diskPercent, gpuMemoryPercent, maxOf, maxOverGpus } from '../../fleet/sample-columns';
import { PROTOCOLS } from '../../proto/protocols';
import { gpuPercent, STATE_RANK } from './host-state';
import { orderOverview, SORT_BUCKET_PERCENT, type OverviewQuery, type OverviewRow } from './overview-order';

export const TABLE_COLUMNS = ['name', 'status', 'cpu', 'memory', 'disk', 'rx', 'tx', 'gpu', 'gpuMemory', 'gpuTemp', 'load', 'uptime', 'source'] as const;
export type TableColumn = (typeof TABLE_COLUMNS)[number];

export const TABLE_COLUMN_LABELS: Record<TableColumn, string> = {
  name: 'Host',
  status: 'Status',
  cpu: 'CPU',
  memory: 'Memory',
  disk: 'Disk',
  rx: 'Net in',
  tx: 'Net out',
  gpu: 'GPU',
  gpuMemory: 'GPU mem',
  gpuTemp: 'GPU temp',
  load: 'Load',
  uptime: 'Uptime',
  source: 'Source',
};

/** Columns whose value is a percentage: they sort in the overview's buckets, so rows do not swap at every reading. */
const PERCENT_COLUMNS: ReadonlySet<TableColumn> = new Set(['cpu', 'memory', 'disk', 'gpu', 'gpuMemory']);

/** The number a column shows for a machine; undefined when the host is not online or its protocol lacks it. */
export function tableValue(machine: Machine, column: Exclude<TableColumn, 'name' | 'status' | 'source'>): number | undefined {
  if (machine.status !== 'online') return undefined;
  const sample = machine.sample;
  switch (column) {
    case 'cpu':
      return sample?.cpu?.totalPercent;
    case 'memory':
      return sample?.memory?.usedPercent;
    case 'disk':
      // A protocol that lists disks but no overall figure (socktop): its fullest disk, the one to worry about.
      return sample?.diskUsedPercent ?? maxOf(sample?.disks, diskPercent);
    case 'rx':
      return sample?.network?.rxBytesPerSec;
    case 'tx':
      return sample?.network?.txBytesPerSec;
    case 'gpu':
      return gpuPercent(machine);
    case 'gpuMemory':
      return maxOverGpus(sample?.gpus, (gpu) => gpuMemoryPercent(gpu, machine.info));
    case 'gpuTemp':
      return maxOverGpus(sample?.gpus, (gpu) => gpu.tempC);
    case 'load':
      return sample?.cpu?.load?.[0];
    case 'uptime':
      return sample?.uptimeSec;
  }
}

/** The source column's words: the protocols the host is read through. */
export function sourceText(machine: Machine): string {
  return machine.protocols.map((id) => PROTOCOLS[id].label).join(', ');
}

export interface TableSort {
  /** Undefined: the overview's order (Worst first unless the toolbar says otherwise). */
  column?: TableColumn;
  descending: boolean;
}

/** A click on a column's header: a new column starts busiest first (names A to Z); the same column flips. */
export function nextSort(current: TableSort, column: TableColumn): TableSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column !== 'name' && column !== 'source' };
}

const NAMES = new Intl.Collator(undefined, { numeric: true });

/**
 * The overview's filter and order, then the clicked column's order on top of it. Hosts without the value
 * sort last whichever way; ties keep the overview's order.
 */
export function orderTable<Row extends OverviewRow>(rows: readonly Row[], query: OverviewQuery, sort: TableSort): Row[] {
  const base = orderOverview(rows, query);
  const column = sort.column;
  if (column === undefined) return base;
  const rank = new Map(base.map((row, index) => [row, index]));
  const direction = sort.descending ? -1 : 1;
  const tie = (a: Row, b: Row): number => rank.get(a)! - rank.get(b)!;
  if (column === 'name' || column === 'source') {
    const text = (row: Row): string => (column === 'name' ? row.machine.name : sourceText(row.machine));
    return base.sort((a, b) => direction * NAMES.compare(text(a), text(b)) || tie(a, b));
  }
  if (column === 'status') return base.sort((a, b) => direction * (STATE_RANK[b.state] - STATE_RANK[a.state]) || tie(a, b));
  const key = (row: Row): number | undefined => {
    const value = tableValue(row.machine, column);
    return value !== undefined && PERCENT_COLUMNS.has(column) ? Math.floor(value / SORT_BUCKET_PERCENT) : value;
  };
  return base.sort((a, b) => {
    const left = key(a);
    const right = key(b);
    if (left === undefined || right === undefined) return left === right ? tie(a, b) : left === undefined ? 1 : -1;
    return direction * (left - right) || tie(a, b);
  });
}
