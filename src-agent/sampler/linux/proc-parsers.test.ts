import { describe, expect, it } from 'vitest';
import { busyPercent, cpuModelName, parseMeminfo, parseMounts, parseNetDev, parseOsRelease, parseProcStat, toTimesSec } from './proc-parsers';

const STAT = `cpu  4705 356 584 3699176 23 0 75 0 0 0
cpu0 1393 280 283 1849578 21 0 54 0 0 0
cpu1 3312 76 301 1849598 2 0 21 0 0 0
intr 114930548 20 9 0 0 0 0 0
ctxt 1990473
btime 1062191376
processes 2915
procs_running 1
procs_blocked 0
`;

const MEMINFO = `MemTotal:       24684084 kB
MemFree:        24428120 kB
MemAvailable:   24385036 kB
Buffers:            2324 kB
Cached:           115320 kB
SwapCached:            0 kB
SwapTotal:       2097148 kB
SwapFree:        1048576 kB
`;

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 331603361  284836    0    0    0     0          0         0 331603361  284836    0    0    0     0       0          0
  eth0: 1234567890 1000 0 0 0 0 0 0 987654321 900 0 0 0 0 0 0
`;

describe('/proc parsers', () => {
  it('reads total and per-core jiffies from /proc/stat', () => {
    const stat = parseProcStat(STAT);
    expect(stat.cores).toHaveLength(2);
    expect(stat.total).toMatchObject({ user: 4705, nice: 356, system: 584, idle: 3699176, iowait: 23, softirq: 75 });
    expect(toTimesSec(stat.cores[1]!)).toEqual({ user: 33.12, nice: 0.76, system: 3.01, idle: 18_496, irq: 0.21 });
  });

  it('computes the busy share between two readings, clamped to 0–100', () => {
    const before = parseProcStat(STAT).total;
    const after = { ...before, user: before.user + 30, system: before.system + 10, idle: before.idle + 60 };
    expect(busyPercent(before, after)).toBeCloseTo(40, 5);
    expect(busyPercent(before, before)).toBe(0);
    expect(busyPercent(undefined, before)).toBeGreaterThan(0);
  });

  it('reads memory as free does: used = total − available, in bytes', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({
      totalBytes: 24684084 * 1024,
      usedBytes: (24684084 - 24385036) * 1024,
      usedPercent: 1.2,
      swapTotalBytes: 2097148 * 1024,
      swapUsedBytes: (2097148 - 1048576) * 1024,
    });
  });

  it('falls back to free + buffers + cached where MemAvailable is missing (kernels before 3.14)', () => {
    const old = MEMINFO.split('\n').filter((line) => !line.startsWith('MemAvailable')).join('\n');
    expect(parseMeminfo(old).usedBytes).toBe((24684084 - 24428120 - 2324 - 115320) * 1024);
  });

  it('reads cumulative receive and transmit bytes per interface from /proc/net/dev', () => {
    expect(parseNetDev(NET_DEV)).toEqual([
      { name: 'lo', rxBytes: 331603361, txBytes: 331603361 },
      { name: 'eth0', rxBytes: 1234567890, txBytes: 987654321 },
    ]);
  });

  it('reads mounts, unescaping spaces in mount points', () => {
    expect(parseMounts('/dev/sda1 /media/My\\040Disk ext4 rw 0 0\nproc /proc proc rw 0 0\n')).toEqual([
      { device: '/dev/sda1', mountPoint: '/media/My Disk', fsType: 'ext4' },
      { device: 'proc', mountPoint: '/proc', fsType: 'proc' },
    ]);
  });

  it('rejects files that are not what they claim to be', () => {
    expect(() => parseProcStat('intr 1 2 3')).toThrow(/no cpu line/);
    expect(() => parseMeminfo('Foo: 1 kB')).toThrow(/MemTotal/);
  });
});

describe('host facts parsers', () => {
  it('reads os-release as systemd does: quotes and escapes removed, comments and blanks skipped', () => {
    const release = parseOsRelease('# comment\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME=\'Debian GNU/Linux\'\nVERSION_ID=12\n\nBAD LINE\nEMPTY=\nQUOTED="say \\"hi\\""\n');
    expect(release.get('NAME')).toBe('Debian GNU/Linux');
    expect(release.get('VERSION_ID')).toBe('12');
    expect(release.get('QUOTED')).toBe('say "hi"');
    expect(release.has('EMPTY')).toBe(false);
    expect(release.size).toBe(4);
  });

  it('names a CPU without trademark marks, clock or filler words', () => {
    expect(cpuModelName('Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz')).toBe('Intel Xeon Gold 6230');
    expect(cpuModelName('AMD Ryzen 9 5950X 16-Core Processor')).toBe('AMD Ryzen 9 5950X 16-Core');
    expect(cpuModelName('AMD EPYC')).toBe('AMD EPYC');
    expect(cpuModelName('')).toBe('');
  });
});
