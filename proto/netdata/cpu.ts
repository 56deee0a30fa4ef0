// CPU from Netdata's per-second charts: system.cpu and cpu.cpuN give each CPU state's share in percent, and
// system.load the load averages. Busy is everything but idle, as Netdata's own dashboard counts it.

import type { CpuSample } from '../model';
import { clampPercent } from '../units';
import { isPercent } from './chart-units';
import type { NetdataChart } from './charts';

const MAX_CORES = 1024;
const CORE_CHART = /^cpu\.cpu(\d+)$/;

export function cpuSample(charts: ReadonlyMap<string, NetdataChart>): CpuSample | undefined {
  const total = charts.get('system.cpu');
  const totalPercent = total && busyPercent(total);
  if (totalPercent === undefined) return undefined;
  const cpu: CpuSample = { totalPercent };
  const perCore = perCorePercent(charts);
  if (perCore.length > 0) cpu.perCorePercent = perCore;
  const load = loadAverages(charts.get('system.load'));
  if (load) cpu.load = load;
  return cpu;
}

/**
 * The share of the states other than idle and iowait (time waiting on I/O is idle, as our agent, node_exporter's
 * reader and Glances count it). Divided by the sum of all states rather than subtracted from 100: the first
 * reading after Netdata starts has every state at 0, which is no reading, not 100 % busy.
 */
function busyPercent(chart: NetdataChart): number | undefined {
  const idleOnly = chart.values.get('idle');
  if (!isPercent(chart.units) || idleOnly === undefined) return undefined;
  const idle = Math.max(0, idleOnly) + Math.max(0, chart.values.get('iowait') ?? 0);
  let sum = 0;
  for (const value of chart.values.values()) if (value > 0) sum += value;
  if (!(sum > 0) || !Number.isFinite(sum)) return undefined;
  return clampPercent(((sum - idle) / sum) * 100);
}

function perCorePercent(charts: ReadonlyMap<string, NetdataChart>): number[] {
  const cores: { index: number; percent: number }[] = [];
  for (const [id, chart] of charts) {
    const index = Number(CORE_CHART.exec(id)?.[1]);
    if (!Number.isInteger(index) || index >= MAX_CORES) continue;
    const percent = busyPercent(chart);
    if (percent !== undefined) cores.push({ index, percent });
  }
  return cores.sort((a, b) => a.index - b.index).map(({ percent }) => percent);
}

function loadAverages(chart: NetdataChart | undefined): [number, number, number] | undefined {
  if (!chart) return undefined;
  const load = [chart.values.get('load1'), chart.values.get('load5'), chart.values.get('load15')];
  if (!load.every((value): value is number => value !== undefined && value >= 0 && value < 1e6)) return undefined;
  return load as [number, number, number];
}
