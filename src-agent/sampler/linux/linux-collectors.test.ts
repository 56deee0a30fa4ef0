import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import si from 'systeminformation';
import { describe, expect, it } from 'vitest';
import { collectHostInfo } from '../host-info';
import { linuxHostInfo } from './host-info';
import { LinuxFastCollector, linuxCpuTempC, linuxDisks } from './linux-collectors';

const onLinux = process.platform === 'linux';

function fakeProc(stat: string, rxBytes: number, root = mkdtempSync(path.join(os.tmpdir(), 'fake-proc-'))): string {
  mkdirSync(path.join(root, 'net'), { recursive: true });
  writeFileSync(path.join(root, 'stat'), stat);
  writeFileSync(path.join(root, 'meminfo'), 'MemTotal: 1000 kB\nMemAvailable: 250 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n');
  writeFileSync(path.join(root, 'net/dev'), `h1\nh2\n  eth0: ${rxBytes} 0 0 0 0 0 0 0 500 0 0 0 0 0 0 0\n`);
  return root;
}

describe.runIf(onLinux)('Linux collectors', () => {
  it('turns counters into CPU percentages and network rates between two readings', async () => {
    let now = 0;
    const root = fakeProc('cpu 100 0 100 800 0 0 0 0\ncpu0 100 0 100 800 0 0 0 0\n', 1000);
    const collector = new LinuxFastCollector(root, () => now);
    await collector.collect();
    fakeProc('cpu 175 0 125 900 0 0 0 0\ncpu0 175 0 125 900 0 0 0 0\n', 3000, root);
    now = 2000;
    const metrics = await collector.collect();
    expect(metrics.cpu.totalPercent).toBe(50);
    expect(metrics.cpu.perCorePercent).toEqual([50]);
    expect(metrics.memory).toMatchObject({ usedPercent: 75, usedBytes: 750 * 1024 });
    expect(metrics.network.interfaces?.[0]).toMatchObject({ name: 'eth0', rxBytes: 3000, rxBytesPerSec: 1000 });
    expect(metrics.network.rxBytesPerSec).toBe(1000);
  });

  it('gives the host facts systeminformation gives, without loading it', async () => {
    const [ours, theirs] = await Promise.all([linuxHostInfo('box-1'), collectHostInfo('box-1')]);
    expect(ours).toEqual(theirs);
  });

  it('still names the machine when /etc/os-release is missing', async () => {
    const info = await linuxHostInfo(undefined, path.join(os.tmpdir(), 'no-such-os-release'));
    expect(info).toMatchObject({ hostname: os.hostname(), os: { name: 'Linux', version: '', kernel: os.release() } });
  });

  it("agrees with this machine's real /proc: core count, memory total and a root file system", async () => {
    const metrics = await new LinuxFastCollector().collect();
    expect(metrics.cpu.perCorePercent).toHaveLength(os.cpus().length);
    expect(metrics.memory.totalBytes).toBe(os.totalmem());
    expect(metrics.network.interfaces?.some((net) => net.name === 'lo')).toBe(true);
    const disks = await linuxDisks();
    const root = disks.find((disk) => disk.mountPoint === '/');
    const reference = (await si.fsSize()).find((fs) => fs.mount === '/');
    if (reference) {
      expect(root?.totalBytes).toBe(reference.size);
      expect(Math.abs((root?.usedPercent ?? 0) - reference.use)).toBeLessThan(1);
    }
    expect(disks.every((disk) => !disk.fsType?.startsWith('tmpfs') && disk.fsType !== 'proc')).toBe(true);
  });

  it('reads a CPU temperature from hwmon or a thermal zone where one exists, and reports none otherwise', async () => {
    const sys = mkdtempSync(path.join(os.tmpdir(), 'fake-sys-'));
    mkdirSync(path.join(sys, 'class/hwmon/hwmon0'), { recursive: true });
    writeFileSync(path.join(sys, 'class/hwmon/hwmon0/name'), 'nvme\n');
    writeFileSync(path.join(sys, 'class/hwmon/hwmon0/temp1_input'), '38000\n');
    expect(await linuxCpuTempC(sys)).toBeUndefined();
    mkdirSync(path.join(sys, 'class/hwmon/hwmon1'));
    writeFileSync(path.join(sys, 'class/hwmon/hwmon1/name'), 'k10temp\n');
    writeFileSync(path.join(sys, 'class/hwmon/hwmon1/temp1_input'), '61250\n');
    expect(await linuxCpuTempC(sys)).toBe(61.25);
    const zones = mkdtempSync(path.join(os.tmpdir(), 'fake-sys-'));
    mkdirSync(path.join(zones, 'class/thermal/thermal_zone0'), { recursive: true });
    writeFileSync(path.join(zones, 'class/thermal/thermal_zone0/type'), 'x86_pkg_temp\n');
    writeFileSync(path.join(zones, 'class/thermal/thermal_zone0/temp'), '55000\n');
    expect(await linuxCpuTempC(zones)).toBe(55);
  });
});
