import { spawn } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { LinuxProcessCollector, parsePasswd, parsePidStat, parsePidStatus } from './processes';

describe('/proc/<pid> parsers', () => {
  it('reads the name even with spaces and parentheses, and the CPU and start jiffies', () => {
    const line = '4242 (tmux: server (1)) S 1 4242 4242 0 -1 4194560 893 0 0 0 120 35 0 0 20 0 1 0 987654 12345678 800 18446744073709551615 1 1 0 0 0 0 0 4096 134234626 0 0 0 17 1 0 0 0 0 0';
    expect(parsePidStat(line)).toEqual({ name: 'tmux: server (1)', cpuJiffies: 155, startJiffies: 987654 });
    expect(parsePidStat('garbage')).toBeNull();
  });

  it('reads resident memory and the real uid from status; kernel threads have no VmRSS', () => {
    expect(parsePidStatus('Name:\tsshd\nUid:\t1000\t1000\t1000\t1000\nVmRSS:\t    5120 kB\n')).toEqual({ rssBytes: 5120 * 1024, uid: 1000 });
    expect(parsePidStatus('Name:\tkthreadd\nUid:\t0\t0\t0\t0\n')).toEqual({ rssBytes: 0, uid: 0 });
  });

  it('maps uids to names from /etc/passwd', () => {
    expect(parsePasswd('root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n#bad\n')).toEqual(
      new Map([
        [0, 'root'],
        [1000, 'alice'],
      ]),
    );
  });
});

describe.runIf(process.platform === 'linux')('LinuxProcessCollector on this machine', () => {
  it("lists this process with its memory and user, and a busy process's share of the whole machine", async () => {
    const busy = spawn(process.execPath, ['-e', 'const end = Date.now() + 8000; while (Date.now() < end) {}'], { stdio: 'ignore' });
    try {
      const collector = new LinuxProcessCollector();
      await collector.collect();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const processes = await collector.collect();
      const self = processes.find((row) => row.pid === process.pid);
      expect(self?.memoryBytes).toBeGreaterThan(10 * 1024 * 1024);
      expect(self?.user).toBe(process.getuid?.() === 0 ? 'root' : expect.any(String));
      const spinner = processes.find((row) => row.pid === busy.pid);
      // One core busy out of this machine's cores: roughly 100 / cores percent.
      const expected = 100 / Math.max(1, os.cpus().length);
      expect(spinner?.cpuPercent).toBeGreaterThan(expected * 0.5);
      expect(spinner?.cpuPercent).toBeLessThanOrEqual(expected * 1.2);
      expect(processes.every((row) => row.cpuPercent >= 0 && row.cpuPercent <= 100)).toBe(true);
    } finally {
      busy.kill('SIGKILL');
    }
  });
});
