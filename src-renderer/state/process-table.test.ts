import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../proto/model';
import { nextSort, processPage, type ProcessQuery } from './process-table';

const MIB = 1024 ** 2;
const processes: ProcessSample[] = [
  { pid: 300, name: 'postgres', cpuPercent: 12.5, memoryBytes: 900 * MIB, user: 'postgres', command: '/usr/lib/postgresql/15/bin/postgres -D /var/lib/db' },
  { pid: 20, name: 'Xorg', cpuPercent: 3, memoryBytes: 120 * MIB, user: 'root' },
  { pid: 4100, name: 'python3', cpuPercent: 88, memoryBytes: 4000 * MIB, user: 'alice', command: 'python3 train.py --epochs 90' },
  { pid: 4101, name: 'python3', cpuPercent: 88, memoryBytes: 10 * MIB, user: 'bob' },
];
const query = (change: Partial<ProcessQuery> = {}): ProcessQuery => ({ sort: 'cpu', descending: true, filter: '', limit: 100, ...change });
const pids = (change: Partial<ProcessQuery>) => processPage(processes, query(change)).rows.map((row) => row.pid);

describe('processes table', () => {
  it('sorts by any column, ties broken by pid so rows do not jump between readings', () => {
    expect(pids({ sort: 'cpu', descending: true })).toEqual([4100, 4101, 300, 20]);
    expect(pids({ sort: 'memory', descending: false })).toEqual([4101, 20, 300, 4100]);
    expect(pids({ sort: 'name', descending: false })).toEqual([300, 4100, 4101, 20]);
    expect(pids({ sort: 'user', descending: false })).toEqual([4100, 4101, 300, 20]);
    expect(pids({ sort: 'pid', descending: true })).toEqual([4101, 4100, 300, 20]);
  });

  it('filters by name, exact pid, command line or user, ignoring case and spaces around it', () => {
    expect(pids({ filter: ' PYTHON ' })).toEqual([4100, 4101]);
    expect(pids({ filter: '300' })).toEqual([300]);
    expect(pids({ filter: 'train.py' })).toEqual([4100]);
    expect(pids({ filter: 'bob' })).toEqual([4101]);
    expect(processPage(processes, query({ filter: 'nothing-like-it' }))).toEqual({ rows: [], matched: 0, total: 4 });
  });

  it('draws at most the limit but counts every match', () => {
    expect(processPage(processes, query({ limit: 2 }))).toMatchObject({ matched: 4, total: 4, rows: [{ pid: 4100 }, { pid: 4101 }] });
  });

  it('flips the sorted column and starts others in their natural direction', () => {
    expect(nextSort(query({ sort: 'cpu', descending: true }), 'cpu')).toMatchObject({ sort: 'cpu', descending: false });
    expect(nextSort(query(), 'memory')).toMatchObject({ sort: 'memory', descending: true });
    expect(nextSort(query(), 'name')).toMatchObject({ sort: 'name', descending: false });
  });
});
