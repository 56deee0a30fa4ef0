// Filesystems from Netdata's disk_space.<mount> charts: avail, used and reserved_for_root, which add up to the
// filesystem's size. The chart id mangles the mount point (`disk_space._` is `/`); its family keeps it whole.

import type { DiskSample } from '../model';
import { isSystemMount, withoutBindMounts } from '../mounts';
import { bytesPerUnit } from './chart-units';
import type { NetdataChart } from './charts';

const MAX_DISKS = 256;
/** No filesystem is larger than this (1 EiB): a larger figure is a broken answer. */
const MAX_BYTES = 2 ** 60;
const PREFIX = 'disk_space.';

export function diskSamples(charts: ReadonlyMap<string, NetdataChart>): DiskSample[] {
  const disks: DiskSample[] = [];
  for (const [id, chart] of charts) {
    if (!id.startsWith(PREFIX) || disks.length >= MAX_DISKS) continue;
    const mountPoint = chart.family || id.slice(PREFIX.length);
    if (isSystemMount(mountPoint)) continue;
    const disk = diskOf(chart, mountPoint);
    if (disk) disks.push(disk);
  }
  return withoutBindMounts(disks);
}

function diskOf(chart: NetdataChart, mountPoint: string): DiskSample | undefined {
  const factor = bytesPerUnit(chart.units);
  if (factor === undefined) return undefined;
  const bytes = (dimension: string): number | undefined => {
    const value = chart.values.get(dimension);
    return value === undefined || value < 0 || value * factor > MAX_BYTES ? undefined : Math.round(value * factor);
  };
  const availableBytes = bytes('avail');
  const usedBytes = bytes('used');
  if (availableBytes === undefined || usedBytes === undefined) return undefined;
  const totalBytes = availableBytes + usedBytes + (bytes('reserved_for_root') ?? 0);
  if (!(totalBytes > 0)) return undefined;
  // As df counts it: the root reserve is neither used nor available to users.
  const usedPercent = (usedBytes / (usedBytes + availableBytes || 1)) * 100;
  return { name: mountPoint, mountPoint, totalBytes, usedBytes, availableBytes, usedPercent };
}
