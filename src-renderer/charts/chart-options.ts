// chart.js options for every time chart: no animation, pre-parsed {x, y} data in epoch ms on a linear x
// axis (no date adapter), LTTB decimation, ticks formatted here. Pure: builds plain option objects.

import type { ChartOptions, TooltipItem } from 'chart.js';
import { formatRate, formatTemp } from '../../proto/format';
import { formatClock, formatDay } from '../state/time-format';

export type ValueUnit = 'percent' | 'bytesPerSec' | 'celsius' | 'plain';

export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  series: string[];
}

/** Points per dataset after decimation: about one per two pixels of a wide chart. */
export const DECIMATION_SAMPLES = 400;
/** A gap in a series longer than this breaks the line instead of bridging it (a host that was offline). */
export const MAX_BRIDGED_GAP_MS = 20_000;

export function formatValue(unit: ValueUnit, value: number): string {
  switch (unit) {
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'bytesPerSec':
      return formatRate(value);
    case 'celsius':
      return formatTemp(value);
    case 'plain':
      return value.toFixed(2);
  }
}

function tickLabel(unit: ValueUnit, value: number): string {
  if (unit === 'percent') return `${value}%`;
  if (unit === 'celsius') return `${value}°`;
  if (unit === 'bytesPerSec') return formatRate(value).replace('.0 ', ' ');
  return String(value);
}

export interface AxisSpec {
  unit: ValueUnit;
  /** Fixed maximum (100 for percentages); absent scales to the data. */
  max?: number;
}

/** Tick spacing per visible range, so ticks fall on whole minutes. */
export function tickStepMs(rangeMs: number): number {
  if (rangeMs <= 5 * 60_000) return 60_000;
  if (rangeMs <= 15 * 60_000) return 3 * 60_000;
  if (rangeMs <= 30 * 60_000) return 5 * 60_000;
  if (rangeMs <= 60 * 60_000) return 10 * 60_000;
  if (rangeMs <= 24 * 60 * 60_000) return 3 * 60 * 60_000;
  if (rangeMs <= 7 * 24 * 60 * 60_000) return 24 * 60 * 60_000;
  return 5 * 24 * 60 * 60_000;
}

export function timeChartOptions(options: { fromMs: number; toMs: number; left: AxisSpec; right?: AxisSpec; theme: ChartTheme; legend: boolean }): ChartOptions<'line'> {
  const { theme } = options;
  const short = options.toMs - options.fromMs <= 2 * 60_000;
  const long = options.toMs - options.fromMs > 24 * 60 * 60_000;
  const axis = (spec: AxisSpec, position: 'left' | 'right') => ({
    type: 'linear' as const,
    position,
    min: 0,
    ...(spec.max !== undefined ? { max: spec.max } : { suggestedMax: spec.unit === 'celsius' ? 100 : 1 }),
    grid: { color: theme.grid, drawOnChartArea: position === 'left' },
    border: { display: false },
    ticks: { color: theme.muted, maxTicksLimit: 5, callback: (value: number | string) => tickLabel(spec.unit, Number(value)) },
  });
  return {
    animation: false,
    parsing: false,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 6, hoverRadius: 3 }, line: { borderWidth: 1.6, tension: 0 } },
    scales: {
      x: {
        type: 'linear',
        min: options.fromMs,
        max: options.toMs,
        grid: { color: theme.grid },
        border: { display: false },
        ticks: { color: theme.muted, stepSize: tickStepMs(options.toMs - options.fromMs), includeBounds: false, maxRotation: 0, callback: (value) => (long ? formatDay(Number(value)) : formatClock(Number(value), short)) },
      },
      y: axis(options.left, 'left'),
      ...(options.right ? { y2: axis(options.right, 'right') } : {}),
    },
    plugins: {
      decimation: { enabled: true, algorithm: 'lttb', samples: DECIMATION_SAMPLES },
      legend: { display: options.legend, position: 'bottom', align: 'start', labels: { color: theme.text, usePointStyle: true, pointStyle: 'line', boxWidth: 18, padding: 12 } },
      tooltip: {
        backgroundColor: theme.surface,
        titleColor: theme.text,
        bodyColor: theme.text,
        borderColor: theme.grid,
        borderWidth: 1,
        callbacks: {
          title: (items: TooltipItem<'line'>[]) => (items[0] ? `${long ? `${formatDay(items[0].parsed.x ?? 0)} ` : ''}${formatClock(items[0].parsed.x ?? 0, true)}` : ''),
          label: (item: TooltipItem<'line'>) => {
            const spec = item.dataset.yAxisID === 'y2' && options.right ? options.right : options.left;
            return ` ${item.dataset.label ?? ''}: ${formatValue(spec.unit, item.parsed.y ?? 0)}`;
          },
        },
      },
    },
  };
}
