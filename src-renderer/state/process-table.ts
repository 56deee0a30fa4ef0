// The processes table's order and filter. Pure; the view renders at most `limit` rows so a host with
// thousands of processes stays cheap to draw.

import type { ProcessSample } from '../../proto/model';

export const PROCESS_COLUMNS = ['pid', 'name', 'user', 'cpu', 'memory'] as const;
export type ProcessColumn = (typeof PROCESS_COLUMNS)[number];

export interface ProcessQuery {
  sort: ProcessColumn;
  descending: boolean;
  filter: string;
  limit: number;
}

export interface ProcessPage {
  rows: ProcessSample[];
  /** Processes matching the filter, before the limit. */
  matched: number;
  total: number;
}

const VALUE: Record<ProcessColumn, (process: ProcessSample) => number | string> = {
  pid: (process) => process.pid,
  name: (process) => process.name.toLowerCase(),
  user: (process) => (process.user ?? '').toLowerCase(),
  cpu: (process) => process.cpuPercent,
  memory: (process) => process.memoryBytes,
};

export function processPage(processes: readonly ProcessSample[], query: ProcessQuery): ProcessPage {
  const needle = query.filter.trim().toLowerCase();
  const matching = needle
    ? processes.filter((process) => process.name.toLowerCase().includes(needle) || String(process.pid) === needle || process.command?.toLowerCase().includes(needle) || process.user?.toLowerCase().includes(needle))
    : [...processes];
  const value = VALUE[query.sort];
  const direction = query.descending ? -1 : 1;
  matching.sort((a, b) => {
    const left = value(a);
    const right = value(b);
    const order = left < right ? -1 : left > right ? 1 : 0;
    return order * direction || a.pid - b.pid;
  });
  return { rows: matching.slice(0, query.limit), matched: matching.length, total: processes.length };
}

/** Clicking the sorted column flips it; another column starts with its natural direction. */
export function nextSort(query: ProcessQuery, column: ProcessColumn): ProcessQuery {
  if (query.sort === column) return { ...query, descending: !query.descending };
  return { ...query, sort: column, descending: column === 'cpu' || column === 'memory' };
}
