import { describe, expect, it } from 'vitest';
import { isSystemMount, withoutBindMounts } from './mounts';

describe('mounts', () => {
  it('leaves out the kernel\'s own mounts and keeps every real filesystem', () => {
    expect(['/dev', '/dev/shm', '/proc', '/sys/fs/cgroup', '/run', '/run/netns', '/var/lib/docker/overlay2/x'].filter(isSystemMount)).toHaveLength(7);
    expect(['/', '/home', '/srv/data', '/devices', '/running', '/var/lib/docker', '/mnt/run'].filter(isSystemMount)).toEqual([]);
  });

  it('keeps a filesystem once when a bind mount repeats its figures, under its shorter path', () => {
    const root = { name: '/', mountPoint: '/', totalBytes: 100, usedBytes: 40, availableBytes: 50 };
    const bind = { ...root, name: '/srv/www', mountPoint: '/srv/www' };
    const other = { name: '/data', mountPoint: '/data', totalBytes: 100, usedBytes: 41, availableBytes: 49 };
    expect(withoutBindMounts([bind, root, other])).toEqual([root, other]);
  });
});
