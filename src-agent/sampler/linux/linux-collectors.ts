// The sampler's collectors on Linux: /proc and /sys read synchronously (proc-reader.ts says why), file
// systems through an asynchronous statfs (a hung network mount must not stall the agent), no process
// spawned. The fast collector keeps the previous reading to turn counters into rates.

import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DiskSample, NetworkInterfaceSample } from '../../../proto/model';
import { round1 } from '../../../proto/units';
import type { FastMetrics } from '../fast-metrics';
import { busyPercent, parseMeminfo, parseMounts, parseNetDev, parseProcStat, toTimesSec, type InterfaceCounters, type ProcStat } from './proc-parsers';
import { listKernelDir, readKernelFile, readRequiredKernelFile } from './proc-reader';

export class LinuxFastCollector {
  private previousStat: ProcStat | undefined;
  private previousNet: { atMs: number; counters: Map<string, InterfaceCounters> } | undefined;

  constructor(
    private readonly procRoot = '/proc',
    private readonly now: () => number = Date.now,
  ) {}

  async collect(): Promise<FastMetrics> {
    const [statText, meminfoText, netText] = ['stat', 'meminfo', 'net/dev'].map((file) => readRequiredKernelFile(path.join(this.procRoot, file)));
    const stat = parseProcStat(statText!);
    const previous = this.previousStat;
    this.previousStat = stat;
    const [one, five, fifteen] = os.loadavg() as [number, number, number];
    return {
      cpu: {
        totalPercent: round1(busyPercent(previous?.total, stat.total)),
        perCorePercent: stat.cores.map((core, index) => round1(busyPercent(previous?.cores[index], core))),
        perCoreTimesSec: stat.cores.map(toTimesSec),
        load: [one, five, fifteen],
      },
      memory: parseMeminfo(meminfoText!),
      network: this.network(parseNetDev(netText!)),
      uptimeSec: Math.round(os.uptime()),
    };
  }

  private network(counters: InterfaceCounters[]): FastMetrics['network'] {
    const atMs = this.now();
    const previous = this.previousNet;
    this.previousNet = { atMs, counters: new Map(counters.map((counter) => [counter.name, counter])) };
    const seconds = previous ? (atMs - previous.atMs) / 1000 : 0;
    const rate = (current: number, before: number | undefined): number => (seconds > 0 && before !== undefined && current >= before ? Math.round((current - before) / seconds) : 0);
    const interfaces: NetworkInterfaceSample[] = counters.map((counter) => {
      const before = previous?.counters.get(counter.name);
      return { ...counter, rxBytesPerSec: rate(counter.rxBytes, before?.rxBytes), txBytesPerSec: rate(counter.txBytes, before?.txBytes) };
    });
    // Loopback traffic is this machine talking to itself; it is not network load.
    const external = interfaces.filter((net) => net.name !== 'lo');
    const sum = (pick: (net: NetworkInterfaceSample) => number | undefined): number => external.reduce((total, net) => total + (pick(net) ?? 0), 0);
    return {
      interfaces,
      rxTotalBytes: sum((net) => net.rxBytes),
      txTotalBytes: sum((net) => net.txBytes),
      rxBytesPerSec: sum((net) => net.rxBytesPerSec),
      txBytesPerSec: sum((net) => net.txBytesPerSec),
    };
  }
}

/** hwmon drivers that report the CPU package, most specific first. */
const CPU_SENSORS = ['coretemp', 'k10temp', 'zenpower', 'cpu_thermal', 'soc_thermal', 'acpitz'];

/** The CPU package temperature from hwmon, else from a thermal zone; undefined where the machine has none. */
export async function linuxCpuTempC(sysRoot = '/sys'): Promise<number | undefined> {
  const hwmonDir = path.join(sysRoot, 'class/hwmon');
  const named = listKernelDir(hwmonDir).map((entry) => ({ entry, name: (readKernelFile(path.join(hwmonDir, entry, 'name')) ?? '').trim() }));
  for (const sensor of CPU_SENSORS) {
    const found = named.find((monitor) => monitor.name === sensor);
    if (!found) continue;
    const milli = Number(readKernelFile(path.join(hwmonDir, found.entry, 'temp1_input')) ?? 'NaN');
    if (Number.isFinite(milli) && milli > 0) return milli / 1000;
  }
  const zonesDir = path.join(sysRoot, 'class/thermal');
  for (const zone of listKernelDir(zonesDir).filter((entry) => entry.startsWith('thermal_zone'))) {
    const type = (readKernelFile(path.join(zonesDir, zone, 'type')) ?? '').trim();
    if (!/x86_pkg_temp|cpu|soc/i.test(type)) continue;
    const milli = Number(readKernelFile(path.join(zonesDir, zone, 'temp')) ?? 'NaN');
    if (Number.isFinite(milli) && milli > 0) return milli / 1000;
  }
  return undefined;
}

/** File systems worth showing: block devices and the network and pooled file systems, not pseudo ones. */
const REAL_WITHOUT_DEVICE_PATH = new Set(['zfs', 'btrfs', 'nfs', 'nfs4', 'cifs', 'smb3', 'fuseblk', 'ceph', 'glusterfs']);

export async function linuxDisks(procRoot = '/proc'): Promise<DiskSample[]> {
  const mounts = parseMounts(readRequiredKernelFile(path.join(procRoot, 'self/mounts')));
  const byDevice = new Map<string, (typeof mounts)[number]>();
  for (const mount of mounts) {
    const real = (mount.device.startsWith('/dev/') && !mount.device.startsWith('/dev/loop')) || REAL_WITHOUT_DEVICE_PATH.has(mount.fsType);
    if (!real) continue;
    // Bind mounts repeat a device; its shortest mount point is the one people know.
    const known = byDevice.get(mount.device);
    if (!known || mount.mountPoint.length < known.mountPoint.length) byDevice.set(mount.device, mount);
  }
  const disks = await Promise.all(
    [...byDevice.values()].map(async (mount): Promise<DiskSample | undefined> => {
      const stats = await statfs(mount.mountPoint).catch(() => undefined);
      if (!stats || stats.blocks === 0) return undefined;
      const totalBytes = stats.blocks * stats.bsize;
      const usedBytes = (stats.blocks - stats.bfree) * stats.bsize;
      const availableBytes = stats.bavail * stats.bsize;
      // As df computes it: what users can still fill, ignoring the root-reserved blocks.
      const usedPercent = usedBytes + availableBytes > 0 ? round1((usedBytes / (usedBytes + availableBytes)) * 100) : 0;
      return { name: mount.device, mountPoint: mount.mountPoint, fsType: mount.fsType, totalBytes, usedBytes, availableBytes, usedPercent };
    }),
  );
  return disks.filter((disk): disk is DiskSample => disk !== undefined);
}
