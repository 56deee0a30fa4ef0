import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LinuxProcessCollector } from './processes';
import { listKernelDir, readKernelFile } from './proc-reader';

// The synchronous /proc reader, on this machine's /proc and on a fake /proc with more processes than one
// slice of the process collector reads between yields.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-proc-'));
  dirs.push(dir);
  return dir;
}

describe('readKernelFile', () => {
  it('reads kernel text whole, and files larger than its buffer whole too', () => {
    expect(readKernelFile('/proc/self/stat')).toMatch(new RegExp(`^${process.pid} \\(`));
    const big = path.join(tempDir(), 'big');
    const text = 'x'.repeat(200_000) + 'end';
    writeFileSync(big, text);
    expect(readKernelFile(big)).toBe(text);
    expect(readKernelFile('/proc/self/status')).toMatch(/^Name:/);
  });

  it('answers null for a file that is gone, and no entries for a directory that is gone', () => {
    expect(readKernelFile('/proc/999999999/stat')).toBeNull();
    expect(listKernelDir('/proc/999999999')).toEqual([]);
  });
});

describe('LinuxProcessCollector over many processes', () => {
  it('lists every process of a /proc with several slices of them, and lets other work run between slices', async () => {
    const root = tempDir();
    writeFileSync(path.join(root, 'stat'), 'cpu  100 0 100 800 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0\n');
    const count = 400;
    for (let pid = 1; pid <= count; pid++) {
      mkdirSync(path.join(root, String(pid)));
      writeFileSync(path.join(root, String(pid), 'stat'), `${pid} (worker ${pid}) S 1 1 1 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 50 0 0`);
      writeFileSync(path.join(root, String(pid), 'status'), `Name:\tworker\nUid:\t0\t0\t0\t0\nVmRSS:\t    ${pid} kB\n`);
    }
    const passwd = path.join(root, 'passwd');
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/sh\n');
    const collector = new LinuxProcessCollector(root, passwd);
    await collector.collect();
    // The user names are cached now: the only turns of the event loop left inside collect() are the yields between slices.
    let otherWorkRan = false;
    setImmediate(() => (otherWorkRan = true));
    const processes = await collector.collect();
    expect(otherWorkRan).toBe(true);
    expect(processes).toHaveLength(count);
    expect(processes.find((row) => row.pid === count)).toMatchObject({ pid: count, name: `worker ${count}`, memoryBytes: count * 1024, user: 'root' });
  });
});
