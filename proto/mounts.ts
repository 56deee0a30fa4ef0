// Which filesystems a dashboard lists, for sources that report every mount without its type (Netdata,
// Glances): not the kernel's own (/dev, /proc, /sys, credentials under /run), the rule node_exporter applies
// by default, and each filesystem once where bind mounts show it again under another path. Pure.

import type { DiskSample } from './model';

/** node_exporter's default --collector.filesystem.mount-points-exclude, plus /run's other runtime mounts. */
const SYSTEM_MOUNTS = /^\/(dev|proc|sys|run|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;

export function isSystemMount(mountPoint: string): boolean {
  return SYSTEM_MOUNTS.test(mountPoint);
}

/** Each filesystem once: a bind mount repeats its filesystem's size, use and space to the byte; the shorter path stays. */
export function withoutBindMounts(disks: readonly DiskSample[]): DiskSample[] {
  const byFigures = new Map<string, DiskSample>();
  for (const disk of disks) {
    const key = `${disk.totalBytes}/${disk.usedBytes}/${disk.availableBytes}`;
    const known = byFigures.get(key);
    if (!known || (disk.mountPoint ?? disk.name).length < (known.mountPoint ?? known.name).length) byFigures.set(key, disk);
  }
  const kept = new Set(byFigures.values());
  return disks.filter((disk) => kept.has(disk));
}
