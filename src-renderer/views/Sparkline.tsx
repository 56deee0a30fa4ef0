// A tiny line of the last minutes of one value, drawn as one SVG path: cheap enough for 50 cards × 3.

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
  const span = Math.max(1, toMs - fromMs);
  const scale = max > 0 ? max : 1;
  let line = '';
  for (const point of points) {
    const x = ((point.x - fromMs) / span) * WIDTH;
    const y = HEIGHT - 1 - (Math.min(scale, Math.max(0, point.y)) / scale) * (HEIGHT - 2);
    line += `${line ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
  }
  const first = points[0];
  const last = points.at(-1);
  const area = first && last && points.length > 1 ? `${line}L${(((last.x - fromMs) / span) * WIDTH).toFixed(1)} ${HEIGHT}L${(((first.x - fromMs) / span) * WIDTH).toFixed(1)} ${HEIGHT}Z` : '';
  return (
    <svg className="sparkline" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={label}>
      {area && <path d={area} className="spark-area" />}
      {line && <path d={line} className="spark-line" vectorEffect="non-scaling-stroke" />}
    </svg>
  );
}
