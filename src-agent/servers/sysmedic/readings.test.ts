import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../proto/model';
import { alertReport, rootDiskPercent, systemStatus, usersFrom } from './readings';

const GIB = 1024 ** 3;

describe('sysmedic readings', () => {
  it('reports the root filesystem when there is one, and the share across every filesystem otherwise', () => {
    const disks = [
      { name: '/dev/sda1', mountPoint: '/', totalBytes: 100 * GIB, usedBytes: 25 * GIB, usedPercent: 25 },
      { name: '/dev/sdb1', mountPoint: '/data', totalBytes: 300 * GIB, usedBytes: 300 * GIB, usedPercent: 100 },
    ];
    expect(rootDiskPercent(disks)).toBe(25);
    expect(rootDiskPercent([{ name: 'C:', mountPoint: 'C:', totalBytes: 100, usedBytes: 10 }, { name: 'D:', mountPoint: 'D:', totalBytes: 100, usedBytes: 50 }])).toBe(30);
    expect(rootDiskPercent([{ name: 'root', mountPoint: '/', usedPercent: 42 }])).toBe(42);
    // As df and psutil count it: blocks reserved for root are not usable, so 45 used + 45 available is 50 %.
    expect(rootDiskPercent([{ name: 'r', mountPoint: '/', totalBytes: 100, usedBytes: 45, availableBytes: 45 }])).toBe(50);
    expect(rootDiskPercent([{ name: 'r', mountPoint: '/', totalBytes: 3, usedBytes: 1 }])).toBe(33.3);
    expect(rootDiskPercent(undefined)).toBe(0);
    expect(rootDiskPercent([])).toBe(0);
  });

  it('groups processes by user, busiest CPU first, with memory as a share of physical memory', () => {
    const row = (user: string | undefined, cpuPercent: number, memoryBytes: number): ProcessSample => ({ pid: 1, name: 'p', cpuPercent, memoryBytes, user });
    const users = usersFrom([row('alice', 10, GIB), row('bob', 50, GIB), row('alice', 5, GIB), row(undefined, 1, 0)], 8 * GIB);
    expect(users).toEqual([
      { username: 'bob', cpuPercent: 50, memoryPercent: 12.5, processCount: 1 },
      { username: 'alice', cpuPercent: 15, memoryPercent: 25, processCount: 2 },
      { username: 'unknown', cpuPercent: 1, memoryPercent: 0, processCount: 1 },
    ]);
    expect(usersFrom(undefined, 8 * GIB)).toEqual([]);
    expect(usersFrom([row('a', 1, 1), row('b', 2, 1), row('c', 3, 1)], GIB, 2).map((user) => user.username)).toEqual(['c', 'b']);
  });

  it('classifies load as the real SysMedic does', () => {
    const thresholds = { cpu: 80, memory: 80 };
    expect(systemStatus({ timeMs: 0, cpu: { totalPercent: 81 }, memory: { usedPercent: 1 } }, thresholds)).toBe('Heavy Load');
    expect(systemStatus({ timeMs: 0, cpu: { totalPercent: 1 }, memory: { usedPercent: 81 } }, thresholds)).toBe('Heavy Load');
    expect(systemStatus({ timeMs: 0, cpu: { totalPercent: 61 }, memory: { usedPercent: 1 } }, thresholds)).toBe('Medium Usage');
    expect(systemStatus({ timeMs: 0, cpu: { totalPercent: 60 }, memory: { usedPercent: 60 } }, thresholds)).toBe('Light Usage');
  });

  it('names the busiest user of the alerting metric in the alert report', () => {
    const users = [
      { username: 'cpu-hog', cpuPercent: 90, memoryPercent: 1, processCount: 1 },
      { username: 'mem-hog', cpuPercent: 1, memoryPercent: 90, processCount: 1 },
    ];
    const report = alertReport({ metric: 'memory', valuePercent: 95, thresholdPercent: 80, raisedAtMs: 7 }, { timeMs: 7 }, users);
    expect(report.users[0]!.username).toBe('mem-hog');
    expect(report.recommendations).toContain('Monitor user: mem-hog');
    expect(report).toMatchObject({ timeMs: 7, status: 'Heavy Load', primaryCause: 'High system memory usage: 95.0% (threshold 80%)' });
  });
});
