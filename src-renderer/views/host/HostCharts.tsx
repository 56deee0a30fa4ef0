// A machine's history charts: only those its protocols can fill and that have data. CPU total and per
// core, memory and swap, each GPU, network rates, disks (per disk, else overall), load.

import { memo, type ReactNode } from 'react';
import { formatBytes, formatPercent, formatPower, formatRate, formatTemp } from '../../../proto/format';
import type { ChartTheme } from '../../charts/chart-options';
import { TimeChart, type ChartSeries } from '../../charts/TimeChart';
import { chartedDisks, diskKeysOf } from '../../state/disk-lines';
import type { FleetReader, Machine } from '../../../fleet/fleet';
import type { Point } from '../../../fleet/history-table';
import type { NetworkInterfaceSample } from '../../../proto/model';
import { chartedInterfaces, COLUMN, diskKey, diskPercent, swapPercent } from '../../../fleet/sample-columns';
import type { Figure } from '../../../fleet/merge';
import { figureSource } from '../../state/capabilities';

const PERCENT = { unit: 'percent' as const, max: 100 };
/** The overall disk chart's colour, also the first disk's, so a one-disk host looks the same either way. */
const DISK_COLOR = 7;

function gpuIndices(columns: Set<string>): number[] {
  const indices = new Set<number>();
  for (const column of columns) {
    const match = /^gpu\.(\d+)\.(util|mem|temp)$/.exec(column);
    if (match) indices.add(Number(match[1]));
  }
  return [...indices].sort((a, b) => a - b);
}

function coreCount(columns: Set<string>): number {
  let count = 0;
  while (columns.has(COLUMN.core(count))) count += 1;
  return count;
}

interface HostChartsProps {
  fleet: FleetReader;
  machine: Machine;
  fromMs: number;
  toMs: number;
  /** The fleet's count of stored windows that arrived for this machine. */
  revision: number;
  theme: ChartTheme;
}

/**
 * Redrawn only when the visible window moves (callers pass whole seconds), stored history arrives, or the
 * host or theme changes: store ticks in between would rebuild every point array for nothing.
 */
export const HostCharts = memo(
  HostChartsNow,
  (before, after) => before.machine.key === after.machine.key && before.fromMs === after.fromMs && before.toMs === after.toMs && before.revision === after.revision && before.theme === after.theme,
);

function HostChartsNow({ fleet, machine, fromMs, toMs, theme }: HostChartsProps) {
  const columns = fleet.columns(machine);
  const series = (column: string) => fleet.series(machine, column, fromMs, toMs);
  const sample = machine.sample;
  const common = { fromMs, toMs, theme };
  const charts: ReactNode[] = [];
  // Only on a machine read through several protocols, where a figure could come from any of them.
  const via = (figure: Figure): { source?: string } => {
    const source = figureSource(machine, figure);
    return source ? { source } : {};
  };

  const cpu: ChartSeries[] = [{ label: 'CPU total', points: series(COLUMN.cpu), color: 0, fill: true }];
  if (columns.has(COLUMN.cpuTemp)) cpu.push({ label: 'CPU temperature', points: series(COLUMN.cpuTemp), color: 3, axis: 'right', dashed: true });
  charts.push(
    <TimeChart key="cpu" title="CPU" summary={formatPercent(sample?.cpu?.totalPercent)} series={cpu} left={PERCENT} {...via('cpu')} {...(columns.has(COLUMN.cpuTemp) ? { right: { unit: 'celsius' as const } } : {})} {...common} />,
  );

  const cores = coreCount(columns);
  if (cores > 0) {
    const perCore = Array.from({ length: cores }, (_, index): ChartSeries => ({ label: `Core ${index}`, points: series(COLUMN.core(index)), color: index, thin: true }));
    const total = sample?.cpu?.perCorePercent?.length ?? machine.info?.cpu?.cores ?? cores;
    const title = total > cores ? `CPU per core (first ${cores} of ${total})` : `CPU per core (${cores})`;
    charts.push(<TimeChart key="cores" title={title} series={perCore} left={PERCENT} {...via('perCore')} legend={cores <= 8} {...common} />);
  }

  if (columns.has(COLUMN.memory)) {
    const memory: ChartSeries[] = [{ label: 'Memory', points: series(COLUMN.memory), color: 1, fill: true }];
    if (columns.has(COLUMN.swap)) memory.push({ label: 'Swap', points: series(COLUMN.swap), color: 4 });
    const swap = swapPercent(sample?.memory);
    const reading = sample?.memory;
    const bytes = reading?.usedBytes !== undefined && reading.totalBytes ? ` (${formatBytes(reading.usedBytes)} of ${formatBytes(reading.totalBytes)})` : '';
    const summary = `${formatPercent(reading?.usedPercent)}${bytes}${swap !== undefined ? ` · swap ${formatPercent(swap)}` : ''}`;
    charts.push(<TimeChart key="memory" title={columns.has(COLUMN.swap) ? 'Memory and swap' : 'Memory'} summary={summary} series={memory} left={PERCENT} {...via('memory')} {...common} />);
  }

  for (const index of gpuIndices(columns)) {
    const gpu = sample?.gpus?.find((candidate) => candidate.index === index);
    const name = gpu?.name ?? machine.info?.gpus?.find((candidate) => candidate.index === index)?.name;
    const lines: ChartSeries[] = [
      { label: 'Utilization', points: series(COLUMN.gpuUtilization(index)), color: 2, fill: true },
      { label: 'Memory', points: series(COLUMN.gpuMemory(index)), color: 1 },
    ];
    const hasTemp = columns.has(COLUMN.gpuTemp(index));
    // Not the vermilion of CPU temperature: beside the memory line's orange it read as the same line.
    if (hasTemp) lines.push({ label: 'Temperature', points: series(COLUMN.gpuTemp(index)), color: 5, axis: 'right', dashed: true });
    const summary = [formatPercent(gpu?.utilizationPercent, 0), gpu?.tempC !== undefined ? formatTemp(gpu.tempC) : undefined, formatPower(gpu?.powerWatts)].filter(Boolean).join(' · ');
    charts.push(
      <TimeChart key={`gpu-${index}`} title={`GPU ${index}${name ? ` · ${name}` : ''}`} summary={summary} series={lines} left={PERCENT} {...via('gpus')} {...(hasTemp ? { right: { unit: 'celsius' as const } } : {})} {...common} />,
    );
  }

  if (columns.has(COLUMN.networkRx) || columns.has(COLUMN.networkTx)) {
    const network: ChartSeries[] = [
      { label: 'Received', points: series(COLUMN.networkRx), color: 5, fill: true },
      { label: 'Sent', points: series(COLUMN.networkTx), color: 6 },
    ];
    const summary = `↓ ${formatRate(sample?.network?.rxBytesPerSec)}  ↑ ${formatRate(sample?.network?.txBytesPerSec)}`;
    charts.push(<TimeChart key="network" title="Network" summary={summary} series={network} left={{ unit: 'bytesPerSec' }} {...via('network')} {...common} />);
  }

  // Those the newest reading still has: an interface gone since (a container's) would be an empty line.
  const now = new Map((sample?.network?.interfaces ?? []).map((net) => [net.name, net]));
  const interfaces = chartedInterfaces(columns).filter((name) => now.has(name));
  // With one interface these would repeat the chart above.
  if (interfaces.length > 1) {
    const directions = [
      { direction: 'rx', column: COLUMN.interfaceRx, word: 'Received', rateOf: (net?: NetworkInterfaceSample) => net?.rxBytesPerSec },
      { direction: 'tx', column: COLUMN.interfaceTx, word: 'Sent', rateOf: (net?: NetworkInterfaceSample) => net?.txBytesPerSec },
    ];
    for (const { direction, column, word, rateOf } of directions) {
      const lines = interfaces.map((name, index): ChartSeries => ({ label: name, points: series(column(name)), color: index }));
      const busiest = interfaces.reduce<{ name: string; rate: number } | undefined>((best, name) => {
        const rate = rateOf(now.get(name));
        // An idle interface is never "the busiest": with all idle the summary stays empty.
        return rate !== undefined && rate > (best?.rate ?? 0) ? { name, rate } : best;
      }, undefined);
      charts.push(
        <TimeChart key={`net-${direction}`} title={`${word} by interface`} summary={busiest ? `${busiest.name} ${formatRate(busiest.rate)}` : undefined} series={lines} left={{ unit: 'bytesPerSec' }} legend {...via('network')} {...common} />,
      );
    }
  }

  const diskKeys = diskKeysOf(columns);
  // Per-disk lines say more than one overall figure (vStats sends both, and its overall is the first disk).
  if (diskKeys.length > 0) charts.push(<DiskChart key="disks" keys={diskKeys} series={series} sample={sample} common={common} {...via('disks')} />);
  else if (columns.has(COLUMN.diskOverall)) {
    charts.push(<TimeChart key="disk" title="Disk used" summary={formatPercent(sample?.diskUsedPercent)} series={[{ label: 'Disk used', points: series(COLUMN.diskOverall), color: DISK_COLOR, fill: true }]} left={PERCENT} {...via('disks')} {...common} />);
  }

  if (columns.has(COLUMN.load1)) {
    const load = sample?.cpu?.load;
    charts.push(<TimeChart key="load" title="Load (1 min)" summary={load ? load.map((value) => value.toFixed(2)).join(' · ') : undefined} series={[{ label: 'Load', points: series(COLUMN.load1), color: 0 }]} left={{ unit: 'plain' }} {...via('load')} {...common} />);
  }

  return <div className="chart-grid">{charts}</div>;
}

interface DiskChartProps {
  keys: string[];
  series: (column: string) => Point[];
  sample: Machine['sample'];
  common: { fromMs: number; toMs: number; theme: ChartTheme };
  source?: string;
}

function DiskChart({ keys, series, sample, common, source }: DiskChartProps) {
  const now = new Map((sample?.disks ?? []).map((disk) => [diskKey(disk), diskPercent(disk)]));
  // A disk with nothing in the window (unmounted since) would be an empty legend entry.
  const lines = keys.map((key) => ({ key, points: series(COLUMN.disk(key)) })).filter((line) => line.points.length > 0);
  if (lines.length === 0) return null;
  const { shown, hidden, fullest } = chartedDisks(lines.map((line) => ({ ...line, percent: now.get(line.key) ?? line.points.at(-1)?.y })));
  const title = hidden > 0 ? `Disks used (fullest ${shown.length} of ${lines.length})` : 'Disks used';
  return (
    <TimeChart
      title={title}
      summary={fullest ? `${fullest.key} ${formatPercent(fullest.percent, 0)}` : undefined}
      series={shown.map((disk, index): ChartSeries => ({ label: disk.key, points: disk.points, color: DISK_COLOR + index, fill: shown.length === 1 }))}
      left={PERCENT}
      {...(source ? { source } : {})}
      {...common}
    />
  );
}
