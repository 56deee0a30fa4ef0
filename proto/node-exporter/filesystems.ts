// Filesystems from node_filesystem_{size,avail,free}_bytes, as `df` would list them: pseudo filesystems left
// out, and a device mounted at several places (bind mounts, container layers) listed once.

import type { DiskSample } from '../model';
import type { Exposition } from './exposition';
import { byteCount, labelText, seriesOf, withoutAbsent } from './series-values';

export const FILESYSTEM_METRIC_NAMES = ['node_filesystem_size_bytes', 'node_filesystem_avail_bytes', 'node_filesystem_free_bytes'] as const;

/** Filesystems that hold no user data, or whose sizes are the RAM's or an image's. */
const PSEUDO_FILESYSTEMS = new Set([
  'autofs',
  'binfmt_misc',
  'bpf',
  'cgroup',
  'cgroup2',
  'configfs',
  'debugfs',
  'devpts',
  'devtmpfs',
  'efivarfs',
  'fuse.lxcfs',
  'fusectl',
  'hugetlbfs',
  'mqueue',
  'nsfs',
  'overlay',
  'proc',
  'pstore',
  'ramfs',
  'rootfs',
  'rpc_pipefs',
  'securityfs',
  'selinuxfs',
  'squashfs',
  'sysfs',
  'tmpfs',
  'tracefs',
]);

/** More mounts than a person reads in a list; a flood of them is cut here. */
const MAX_FILESYSTEMS = 256;

interface Mount {
  device: string;
  mountPoint: string;
  fsType?: string;
  sizeBytes?: number;
  availableBytes?: number;
  freeBytes?: number;
}

export function readFilesystems(exposition: Exposition): DiskSample[] {
  const mounts = new Map<string, Mount>();
  const read = (metric: string, field: 'sizeBytes' | 'availableBytes' | 'freeBytes'): void => {
    for (const series of seriesOf(exposition, metric)) {
      const device = labelText(series, 'device');
      const mountPoint = labelText(series, 'mountpoint');
      const fsType = labelText(series, 'fstype');
      if (!device || !mountPoint || (fsType && PSEUDO_FILESYSTEMS.has(fsType))) continue;
      const key = `${device}\n${mountPoint}`;
      let mount = mounts.get(key);
      if (!mount) {
        if (mounts.size >= MAX_FILESYSTEMS) continue;
        mount = { device, mountPoint, fsType };
        mounts.set(key, mount);
      }
      mount[field] ??= byteCount(series.value);
    }
  };
  read('node_filesystem_size_bytes', 'sizeBytes');
  read('node_filesystem_avail_bytes', 'availableBytes');
  read('node_filesystem_free_bytes', 'freeBytes');

  // One device's first mount in path order (`/` before `/var/lib/docker/...`) stands for all of them.
  const byDevice = new Map<string, Mount>();
  for (const mount of [...mounts.values()].sort((a, b) => a.mountPoint.length - b.mountPoint.length || a.mountPoint.localeCompare(b.mountPoint))) {
    if (mount.sizeBytes && !byDevice.has(mount.device)) byDevice.set(mount.device, mount);
  }
  return [...byDevice.values()].sort((a, b) => a.mountPoint.localeCompare(b.mountPoint)).map(toDisk);
}

function toDisk(mount: Mount): DiskSample {
  const totalBytes = mount.sizeBytes!;
  const available = mount.availableBytes !== undefined && mount.availableBytes <= totalBytes ? mount.availableBytes : undefined;
  // Our own agent serves no free_bytes: there, what is not available counts as used (root's reserve with it).
  const free = mount.freeBytes ?? available;
  const usedBytes = free !== undefined && free <= totalBytes ? totalBytes - free : undefined;
  // As `df` counts it: the share of what non-root users could have, root's reserve left out.
  const usable = usedBytes !== undefined && available !== undefined ? usedBytes + available : undefined;
  return withoutAbsent({
    name: mount.device,
    mountPoint: mount.mountPoint,
    fsType: mount.fsType,
    totalBytes,
    usedBytes,
    availableBytes: available,
    usedPercent: usable ? (usedBytes! / usable) * 100 : undefined,
  });
}
