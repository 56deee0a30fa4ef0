import { describe, expect, it } from 'vitest';
import { capabilityReport, has } from './capabilities';
import { nextSort, processPage } from './process-table';
import { formatAgo, formatClock } from './time-format';

describe('capabilityReport', () => {
  it('names what no protocol of a machine carries, and each protocol\'s own note', () => {
    const report = capabilityReport(['sysmedic']);
    expect(report.missing).toEqual(['per-core CPU', 'CPU temperature', 'memory in bytes', 'swap', 'GPU usage', 'GPU temperature', 'network traffic', 'processes', 'remote tasks']);
    expect(report.notes).toEqual([{ protocol: 'sysmedic', label: 'SysMedic', text: expect.stringContaining('percentages only') }]);
  });

  it('counts a capability as present when any merged protocol has it', () => {
    const report = capabilityReport(['socktop', 'sysmedic', 'servercontrol']);
    expect(report.missing).toEqual([]);
    expect(has(['gpu-usage'], 'processes')).toBe(false);
    expect(has(['gpu-usage', 'socktop'], 'processes')).toBe(true);
  });
});

describe('processPage', () => {
  const processes = [
    { pid: 3, name: 'python', cpuPercent: 50, memoryBytes: 100, user: 'ana' },
    { pid: 1, name: 'systemd', cpuPercent: 0.1, memoryBytes: 300 },
    { pid: 2, name: 'Xorg', cpuPercent: 5, memoryBytes: 200, command: '/usr/bin/Xorg :0' },
  ];

  it('sorts by any column and filters by name, pid, user or command', () => {
    const query = { sort: 'cpu' as const, descending: true, filter: '', limit: 10 };
    expect(processPage(processes, query).rows.map((row) => row.pid)).toEqual([3, 2, 1]);
    expect(processPage(processes, { ...query, sort: 'name', descending: false }).rows.map((row) => row.name)).toEqual(['python', 'systemd', 'Xorg']);
    expect(processPage(processes, { ...query, filter: 'usr/bin' }).rows.map((row) => row.pid)).toEqual([2]);
    expect(processPage(processes, { ...query, filter: '1' }).rows.map((row) => row.pid)).toEqual([1]);
    expect(processPage(processes, { ...query, filter: 'ANA' }).rows.map((row) => row.pid)).toEqual([3]);
  });

  it('limits the rows but counts every match', () => {
    expect(processPage(processes, { sort: 'memory', descending: true, filter: '', limit: 2 })).toMatchObject({ matched: 3, total: 3, rows: [{ pid: 1 }, { pid: 2 }] });
  });

  it('flips the sorted column and starts numbers busiest first', () => {
    const query = { sort: 'name' as const, descending: false, filter: '', limit: 10 };
    expect(nextSort(query, 'name').descending).toBe(true);
    expect(nextSort(query, 'memory')).toMatchObject({ sort: 'memory', descending: true });
    expect(nextSort(query, 'pid')).toMatchObject({ sort: 'pid', descending: false });
  });
});

describe('time formatting', () => {
  it('formats clocks and ages', () => {
    const at = new Date(2026, 0, 2, 9, 5, 7).getTime();
    expect(formatClock(at)).toBe('09:05');
    expect(formatClock(at, true)).toBe('09:05:07');
    expect(formatAgo(at, at + 2000)).toBe('just now');
    expect(formatAgo(at, at + 42_000)).toBe('42 s ago');
    expect(formatAgo(at, at + 5 * 60_000)).toBe('5 min ago');
    expect(formatAgo(at, at + 3 * 3_600_000)).toBe('3 h ago');
  });
});
