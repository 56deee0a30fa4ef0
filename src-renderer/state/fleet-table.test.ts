import { describe, expect, it } from 'vitest';
import type { Machine } from '../../fleet/fleet';
import type { Sample } from '../../proto/model';
import type { FleetHostState } from '../platform/platform';
import { nextSort, orderTable, tableValue, type TableSort } from './fleet-table';
import { percentLevel } from './host-state';
import type { OverviewRow } from './overview-order';

function machine(name: string, sample: Omit<Sample, 'timeMs'>, extra: Partial<Machine> = {}): Machine {
  return { key: name, sourceId: name, sourceName: name, local: false, name, protocols: ['servercontrol'], tags: [], endpoints: [], status: 'online', capabilities: [], parts: [], sample: { timeMs: 0, ...sample }, ...extra };
}

const row = (m: Machine, state: FleetHostState = 'ok'): OverviewRow => ({ machine: m, state });

const rows = [
  row(machine('web-2', { cpu: { totalPercent: 12, load: [0.4, 0.3, 0.2] }, network: { rxBytesPerSec: 5e6, txBytesPerSec: 1e3 }, uptimeSec: 50 })),
  row(machine('gpu-1', { cpu: { totalPercent: 61 }, gpus: [{ index: 0, utilizationPercent: 30, memoryUsedBytes: 6, memoryTotalBytes: 8, tempC: 70 }, { index: 1, utilizationPercent: 95, memoryUsedBytes: 1, memoryTotalBytes: 8, tempC: 81 }] }), 'warning'),
  row(machine('db-10', { cpu: { totalPercent: 63, load: [3.5, 2, 1] }, network: { rxBytesPerSec: 2e3, txBytesPerSec: 9e6 }, uptimeSec: 90_000 }), 'alert'),
  row(machine('db-9', { cpu: { totalPercent: 3 } }, { status: 'offline' }), 'offline'),
];

const names = (sorted: readonly OverviewRow[]): string[] => sorted.map((entry) => entry.machine.name);
const everything = { sort: 'worst', text: '', states: [] } as const;
const by = (sort: TableSort): string[] => names(orderTable(rows, everything, sort));

describe('the fleet table', () => {
  it('starts in the overview order: worst first, then by name', () => {
    expect(by({ descending: true })).toEqual(['db-10', 'db-9', 'gpu-1', 'web-2']);
  });

  it('sorts by a clicked column, busiest first, hosts without the value last whichever way', () => {
    expect(by({ column: 'load', descending: true })).toEqual(['db-10', 'web-2', 'db-9', 'gpu-1']);
    expect(by({ column: 'load', descending: false })).toEqual(['web-2', 'db-10', 'db-9', 'gpu-1']);
    expect(by({ column: 'rx', descending: true })).toEqual(['web-2', 'db-10', 'db-9', 'gpu-1']);
    expect(by({ column: 'tx', descending: true })).toEqual(['db-10', 'web-2', 'db-9', 'gpu-1']);
    expect(by({ column: 'uptime', descending: false })).toEqual(['web-2', 'db-10', 'db-9', 'gpu-1']);
  });

  it('keeps the worst-first order between hosts in the same 5 % of a percentage, so rows do not swap at every reading', () => {
    expect(by({ column: 'cpu', descending: true })).toEqual(['db-10', 'gpu-1', 'web-2', 'db-9']);
  });

  it('sorts names naturally and states worst first', () => {
    expect(by({ column: 'name', descending: false })).toEqual(['db-9', 'db-10', 'gpu-1', 'web-2']);
    expect(by({ column: 'status', descending: true })).toEqual(['db-10', 'db-9', 'gpu-1', 'web-2']);
    expect(by({ column: 'status', descending: false })).toEqual(['web-2', 'gpu-1', 'db-9', 'db-10']);
  });

  it("reads the busiest GPU's figures, and nothing of a host that is not online", () => {
    const gpu = rows[1]!.machine;
    expect([tableValue(gpu, 'gpu'), tableValue(gpu, 'gpuMemory'), tableValue(gpu, 'gpuTemp')]).toEqual([95, 75, 81]);
    expect(tableValue(rows[3]!.machine, 'cpu')).toBeUndefined();
  });

  it('shows the overall disk figure, or else the fullest disk a protocol lists', () => {
    const disks = [
      { name: '/dev/sda', usedPercent: 40 },
      { name: '/dev/sdb', totalBytes: 100, usedBytes: 81 },
    ];
    expect(tableValue(machine('listed', { disks }), 'disk')).toBe(81);
    expect(tableValue(machine('overall', { disks, diskUsedPercent: 12 }), 'disk')).toBe(12);
    expect(tableValue(machine('none', {}), 'disk')).toBeUndefined();
  });

  it('filters as the overview does', () => {
    expect(names(orderTable(rows, { sort: 'worst', text: 'db', states: ['alert'] }, { column: 'name', descending: false }))).toEqual(['db-10']);
  });

  it('flips a column clicked again; a new column starts busiest first, names A to Z', () => {
    expect(nextSort({ descending: true }, 'cpu')).toEqual({ column: 'cpu', descending: true });
    expect(nextSort({ column: 'cpu', descending: true }, 'cpu')).toEqual({ column: 'cpu', descending: false });
    expect(nextSort({ column: 'cpu', descending: true }, 'name')).toEqual({ column: 'name', descending: false });
  });

  it('colours a figure amber from 75 % and red from 90 %, and nothing it does not have', () => {
    expect([74.9, 75, 89.9, 90, 100].map(percentLevel)).toEqual(['ok', 'warning', 'warning', 'alert', 'alert']);
    expect([undefined, Number.NaN].map(percentLevel)).toEqual(['none', 'none']);
  });
});
