// A tiny line of the last minutes of one value, drawn as one SVG path: cheap enough for 50 cards × 3.

import { sparklinePaths, sparklineStart } from './sparkline-path';

interface SparklineProps {
  points: readonly { x: number; y: number }[];
  fromMs: number;
  toMs: number;
  /** The value at the top edge; percentages use 100. */
  max?: number;
  label: string;
}

const WIDTH = 120;
const HEIGHT = 28;

export function Sparkline({ points, fromMs, toMs, max = 100, label }: SparklineProps) {
  const { line, area } = sparklinePaths(points, { width: WIDTH, height: HEIGHT, fromMs: sparklineStart(points, fromMs, toMs), toMs, max });
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
      {area && <path d={area} className="spark-area" />}
      {line && <path d={line} className="spark-line" vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}
