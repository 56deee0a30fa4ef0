// Memory from system.ram (free, used, cached and buffers, which add up to MemTotal), mem.available and
// mem.swap. Used is total − available, as `free` reports it; a kernel without MemAvailable leaves Netdata's
// own `used` (total − free − cached − buffers).

import type { MemorySample } from '../model';
import { percentOf } from '../units';
import { bytesPerUnit } from './chart-units';
import type { NetdataChart } from './charts';

/** No machine has more memory than this (1 PiB): a larger figure is a broken answer. */
const MAX_BYTES = 2 ** 50;
const RAM_PARTS = ['free', 'used', 'cached', 'buffers'];

export function memorySample(charts: ReadonlyMap<string, NetdataChart>): MemorySample | undefined {
  const ram = inBytes(charts.get('system.ram'));
  // Without one of them the sum is no longer the total.
  if (!ram || !RAM_PARTS.every((part) => ram.has(part))) return undefined;
  const totalBytes = sum(ram);
  if (!(totalBytes > 0)) return undefined;
  const available = inBytes(charts.get('mem.available'))?.get('MemAvailable');
  const usedBytes = available !== undefined ? totalBytes - available : ram.get('used');
  if (usedBytes === undefined || usedBytes < 0 || usedBytes > totalBytes) return undefined;
  const memory: MemorySample = { usedPercent: percentOf(usedBytes, totalBytes), totalBytes, usedBytes };
  const swap = inBytes(charts.get('mem.swap'));
  const swapUsedBytes = swap?.get('used');
  const swapTotalBytes = swap?.has('free') ? sum(swap) : undefined;
  if (swapTotalBytes !== undefined && swapUsedBytes !== undefined) {
    memory.swapTotalBytes = swapTotalBytes;
    memory.swapUsedBytes = swapUsedBytes;
  }
  return memory;
}

/** A size chart's plausible values in whole bytes, by dimension id; undefined when its unit is not a size. */
function inBytes(chart: NetdataChart | undefined): Map<string, number> | undefined {
  const factor = chart && bytesPerUnit(chart.units);
  if (!chart || factor === undefined) return undefined;
  const bytes = new Map<string, number>();
  for (const [id, value] of chart.values) if (value >= 0 && value * factor <= MAX_BYTES) bytes.set(id, Math.round(value * factor));
  return bytes;
}

function sum(values: Map<string, number>): number {
  let total = 0;
  for (const value of values.values()) total += value;
  return total;
}
