import { describe, expect, it } from 'vitest';
import { wholeMachineCpuPercent } from './disks-and-processes';

describe('process CPU outside Linux', () => {
  it('divides ps-style per-core percentages by the cores on macOS and the BSDs, and keeps the already-normalized ones', () => {
    expect(wholeMachineCpuPercent(200, 'darwin', 8)).toBe(25);
    expect(wholeMachineCpuPercent(50, 'freebsd', 4)).toBe(12.5);
    expect(wholeMachineCpuPercent(25, 'linux', 8)).toBe(25);
    expect(wholeMachineCpuPercent(25, 'win32', 8)).toBe(25);
  });

  it('stays within 0 to 100 whatever the collector reported', () => {
    expect(wholeMachineCpuPercent(900, 'darwin', 8)).toBe(100);
    expect(wholeMachineCpuPercent(-3, 'darwin', 8)).toBe(0);
    expect(wholeMachineCpuPercent(150, 'linux', 1)).toBe(100);
  });
});
