// One time chart (chart.js through react-chartjs-2): datasets of {x: epoch ms, y} points, redrawn without
// animation on every store tick. Options come from chart-options.ts.

import { Line } from 'react-chartjs-2';
import type { ChartDataset } from 'chart.js';
import './chart-setup';
import { MAX_BRIDGED_GAP_MS, timeChartOptions, type AxisSpec, type ChartTheme } from './chart-options';

export interface ChartSeries {
  label: string;
  points: { x: number; y: number }[];
  /** Index into the theme's series colours. */
  color: number;
  axis?: 'left' | 'right';
  dashed?: boolean;
  fill?: boolean;
  thin?: boolean;
}

interface TimeChartProps {
  title: string;
  series: ChartSeries[];
  fromMs: number;
  toMs: number;
  left: AxisSpec;
  right?: AxisSpec;
  theme: ChartTheme;
  /** A short current value shown beside the title. */
  summary?: string;
  /** The protocol its figures come from, on a machine read through several. */
  source?: string;
  legend?: boolean;
  height?: number;
}

function largestGap(points: readonly { x: number }[]): number {
  let largest = 0;
  for (let index = 1; index < points.length; index += 1) largest = Math.max(largest, points[index]!.x - points[index - 1]!.x);
  return largest;
}

function withAlpha(color: string, alpha: string): string {
  return /^#[0-9a-f]{6}$/i.test(color) ? `${color}${alpha}` : color;
}

export function TimeChart({ title, series, fromMs, toMs, left, right, theme, summary, source, legend, height = 180 }: TimeChartProps) {
  const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = series.map((entry) => {
    const color = theme.series[entry.color % theme.series.length] ?? theme.text;
    return {
      label: entry.label,
      data: entry.points,
      borderColor: color,
      backgroundColor: entry.fill ? withAlpha(color, '26') : color,
      fill: entry.fill ? 'origin' : false,
      borderWidth: entry.thin ? 1 : 1.6,
      borderDash: entry.dashed ? [4, 3] : [],
      yAxisID: entry.axis === 'right' ? 'y2' : 'y',
      spanGaps: MAX_BRIDGED_GAP_MS,
    };
  });
  const oldestMs = Math.min(...series.map((entry) => entry.points[0]?.x ?? Infinity));
  const newestMs = Math.max(...series.map((entry) => entry.points.at(-1)?.x ?? -Infinity));
  const largestGapMs = Math.max(0, ...series.map((entry) => largestGap(entry.points)));
  const options = timeChartOptions({ fromMs, toMs, left, ...(right ? { right } : {}), theme, legend: legend ?? (series.length > 1 && series.length <= 8) });
  return (
    // The oldest and newest points drawn and the widest stretch without one, for tests and tools that check what a chart holds without reading its canvas.
    <figure className="chart-card" {...(Number.isFinite(oldestMs) ? { 'data-oldest-ms': oldestMs, 'data-newest-ms': newestMs, 'data-largest-gap-ms': largestGapMs } : {})}>
      <figcaption>
        <span className="chart-title">{title}</span>
        {source && <span className="chart-source">via {source}</span>}
        {summary && <span className="chart-summary">{summary}</span>}
      </figcaption>
      <div className="chart-body" style={{ height }}>
        <Line data={{ datasets }} options={options} updateMode="none" datasetIdKey="label" aria-label={`${title} chart${summary ? `: ${summary}` : ''}`} />
      </div>
    </figure>
  );
}
