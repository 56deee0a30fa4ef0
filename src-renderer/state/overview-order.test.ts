import { describe, expect, it } from 'vitest';
import type { FleetHostState } from '../platform/platform';
import type { Machine } from '../../fleet/fleet';
import { fleetSnapshot, hostState, summarize } from './host-state';
import { orderOverview, type OverviewRow } from './overview-order';

function machine(key: string, name: string, values: { cpu?: number; memory?: number; gpu?: number } = {}, extra: Partial<Machine> = {}): Machine {
  return {
    key,
    sourceId: key,
    sourceName: name,
    local: false,
    name,
    protocols: ['socktop'],
    tags: [],
    endpoints: [],
    status: 'online',
    capabilities: [],
    parts: [],
    sample: {
      timeMs: 0,
      ...(values.cpu !== undefined ? { cpu: { totalPercent: values.cpu } } : {}),
      ...(values.memory !== undefined ? { memory: { usedPercent: values.memory } } : {}),
      ...(values.gpu !== undefined ? { gpus: [{ index: 0, utilizationPercent: values.gpu }] } : {}),
    },
    ...extra,
  };
}

const row = (m: Machine, state: FleetHostState = 'ok'): OverviewRow => ({ machine: m, state });

const rows = [
  row(machine('b', 'beta', { cpu: 10, memory: 90 })),
  row(machine('a', 'alpha', { cpu: 80, gpu: 20 }), 'warning'),
  row(machine('local', 'my-laptop', { cpu: 5 }, { local: true })),
  row(machine('c', 'gamma', {}, { status: 'offline' }), 'offline'),
  row(machine('d', 'delta', { cpu: 30, gpu: 99 }), 'alert'),
  row(machine('e', 'host10', { cpu: 1 })),
  row(machine('f', 'host9', { cpu: 2 })),
];

const keys = (ordered: OverviewRow[]): string[] => ordered.map((entry) => entry.machine.key);

describe('orderOverview', () => {
  it('puts This computer first by name, then sorts with numbers in order', () => {
    expect(keys(orderOverview(rows, { sort: 'name', text: '', states: [] }))).toEqual(['local', 'a', 'b', 'd', 'c', 'f', 'e']);
  });

  it('sorts worst first by state alone: alerts, offline, warnings, then the rest (an OK This computer among them), by name within each', () => {
    expect(keys(orderOverview(rows, { sort: 'worst', text: '', states: [] }))).toEqual(['d', 'c', 'a', 'b', 'f', 'e', 'local']);
  });

  it('sorts by a metric, busiest first, hosts without it last', () => {
    expect(keys(orderOverview(rows, { sort: 'gpu', text: '', states: [] }))).toEqual(['local', 'd', 'a', 'b', 'c', 'f', 'e']);
    expect(keys(orderOverview(rows, { sort: 'cpu', text: '', states: [] })).slice(0, 4)).toEqual(['local', 'a', 'd', 'b']);
  });

  it('keeps hosts with nearly equal values in name order, so cards do not swap at every reading', () => {
    const close = [row(machine('z', 'zulu', { cpu: 42.4 })), row(machine('y', 'yankee', { cpu: 41.2 })), row(machine('x', 'xray', { cpu: 47.9 }))];
    expect(keys(orderOverview(close, { sort: 'cpu', text: '', states: [] }))).toEqual(['x', 'y', 'z']);
    expect(keys(orderOverview(close, { sort: 'worst', text: '', states: [] }))).toEqual(['x', 'y', 'z']);
  });

  it('filters by text and by state', () => {
    expect(keys(orderOverview(rows, { sort: 'name', text: 'ALP', states: [] }))).toEqual(['a']);
    expect(keys(orderOverview(rows, { sort: 'name', text: 'this comp', states: [] }))).toEqual(['local']);
    expect(keys(orderOverview(rows, { sort: 'name', text: '', states: ['alert', 'offline'] }))).toEqual(['d', 'c']);
  });

  it('filters by tag without case, and finds a tag typed in the filter box', () => {
    const tagged = [row(machine('g', 'gpu-1', {}, { tags: ['GPU', 'rack-2'] })), row(machine('h', 'web-1', {}, { tags: ['web'] })), ...rows];
    expect(keys(orderOverview(tagged, { sort: 'name', text: '', states: [], tag: 'gpu' }))).toEqual(['g']);
    expect(keys(orderOverview(tagged, { sort: 'name', text: 'rack-2', states: [] }))).toEqual(['g']);
    expect(keys(orderOverview(tagged, { sort: 'name', text: '', states: [], tag: 'rack' }))).toEqual([]);
  });
});

describe('host state', () => {
  it('ranks offline above everything, then critical alerts, warnings and rules about to fire', () => {
    const online = machine('x', 'x');
    expect(hostState({ ...online, status: 'auth-required' }, { alert: 'critical' })).toBe('offline');
    expect(hostState(online, { alert: 'critical' })).toBe('alert');
    expect(hostState(online, { alert: 'warning' })).toBe('warning');
    expect(hostState(online, { pending: true })).toBe('warning');
    expect(hostState(online, {})).toBe('ok');
  });

  it('summarizes hosts up and down, and in Alert and Warning exactly as the chips count them', () => {
    expect(summarize(rows)).toEqual({ total: 7, up: 6, down: 1, connecting: 0, alert: 1, warning: 1 });
    // Warning-level alerts put hosts in Warning, not Alert: the summary's red count and the Alert chip agree.
    const warned = rows.map((entry) => (entry.state === 'alert' ? { ...entry, state: 'warning' as const } : entry));
    expect(summarize(warned)).toMatchObject({ alert: 0, warning: 2 });
    expect(orderOverview(warned, { sort: 'worst', text: '', states: ['alert'] })).toHaveLength(summarize(warned).alert);
    expect(orderOverview(warned, { sort: 'worst', text: '', states: ['warning'] })).toHaveLength(summarize(warned).warning);
  });

  it('counts hosts still connecting or being detected apart from hosts that are down', () => {
    const starting = [
      row(machine('a', 'alpha', {}, { status: 'connecting' }), 'offline'),
      row(machine('b', 'beta', {}, { status: 'detecting' }), 'offline'),
      row(machine('c', 'gamma', {}, { status: 'offline' }), 'offline'),
      row(machine('d', 'delta', {}, { status: 'auth-required' }), 'offline'),
      row(machine('e', 'epsilon', {}, { status: 'failed' }), 'offline'),
      row(machine('f', 'zeta')),
    ];
    expect(summarize(starting)).toEqual({ total: 6, up: 1, down: 3, connecting: 2, alert: 0, warning: 0 });
  });

  it('gives the tray rounded CPU and GPU, and none for offline hosts', () => {
    const snapshot = fleetSnapshot([
      { machine: machine('d', 'delta', { cpu: 30.6, gpu: 99.4 }), state: 'alert' },
      { machine: machine('local', 'lap', { cpu: 5 }, { local: true }), state: 'ok' },
      { machine: machine('c', 'gamma', { cpu: 3 }, { status: 'offline' }), state: 'offline' },
    ]);
    expect(snapshot.hosts).toEqual([
      { key: 'd', name: 'delta', state: 'alert', cpuPercent: 31, gpuPercent: 99 },
      { key: 'local', name: 'This computer (lap)', state: 'ok', cpuPercent: 5 },
      { key: 'c', name: 'gamma', state: 'offline' },
    ]);
  });
});
