import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectProcessDetails, parseStat, ProcessDetailsError } from './process-details';

/** A /proc with one process and a machine whose CPUs advance between the two reads the collector makes. */
function fakeProc(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-proc-'));
  mkdirSync(path.join(root, '77'));
  const stat = (userTicks: number) =>
    `77 (my (odd) name) S 1 77 77 0 -1 4194560 100 0 0 0 ${userTicks} 50 0 0 20 0 3 0 1000 123456789 2000 18446744073709551615\n`;
  writeFileSync(path.join(root, '77/stat'), stat(150));
  writeFileSync(path.join(root, '77/status'), 'Name:\tmy (odd) name\nState:\tS (sleeping)\nPPid:\t1\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nVmSize:\t  120564 kB\nVmRSS:\t    8192 kB\nThreads:\t3\n');
  writeFileSync(path.join(root, '77/cmdline'), 'daemon\0--flag\0value\0');
  writeFileSync(path.join(root, 'stat'), 'cpu  1000 0 1000 8000 0 0 0 0 0 0\ncpu0 500 0 500 4000 0 0 0 0 0 0\nbtime 1700000000\n');
  return root;
}

describe('process details collector', () => {
  it('reads name, command, memory, threads, ids, state and start time of one process', async () => {
    const details = await collectProcessDetails(77, { procRoot: fakeProc(), platform: 'linux', cpuWindowMs: 1, now: () => 1234 });
    expect(details).toEqual({
      pid: 77,
      name: 'my (odd) name',
      command: 'daemon --flag value',
      cpuPercent: 0,
      memoryBytes: 8192 * 1024,
      virtualMemoryBytes: 123_456_789,
      threadCount: 3,
      status: 'Sleeping',
      parentPid: 1,
      userId: 1000,
      groupId: 100,
      startTimeMs: (1_700_000_000 + 10) * 1000,
      cpuUserMs: 1500,
      cpuSystemMs: 500,
      timeMs: 1234,
    });
  });

  it('measures the CPU share of this very process against the whole machine', async () => {
    const spin = setInterval(() => {
      const until = Date.now() + 15;
      while (Date.now() < until);
    }, 20);
    try {
      const details = await collectProcessDetails(process.pid, { cpuWindowMs: 300 });
      expect(details.cpuPercent).toBeGreaterThan(0);
      expect(details.cpuPercent).toBeLessThanOrEqual(100);
    } finally {
      clearInterval(spin);
    }
  });

  it('parses a stat line whose process name holds spaces and parentheses', () => {
    expect(parseStat('5 (a) b) c) R 2 0 0 0 0 0 0 0 0 0 7 8 0 0 0 0 9 0 11 12 13')).toMatchObject({ name: 'a) b) c', state: 'R', parentPid: 2, userTicks: 7, systemTicks: 8, threads: 9, startTicks: 11, virtualBytes: 12 });
  });

  it('says plainly when the process does not exist, the pid is not valid, or the platform has no /proc', async () => {
    const root = fakeProc();
    await expect(collectProcessDetails(78, { procRoot: root, platform: 'linux' })).rejects.toThrow(new ProcessDetailsError('no process with pid 78'));
    await expect(collectProcessDetails(-1, { procRoot: root, platform: 'linux' })).rejects.toThrow(/invalid pid/);
    await expect(collectProcessDetails(77, { procRoot: root, platform: 'darwin' })).rejects.toThrow(/only available from an agent on Linux/);
  });
});
