// The SVG path of a sparkline: one point per pixel column, the column's highest value, so a 120 px line
// over 5 minutes at 1 Hz draws 120 points instead of 300 and a one-second spike still shows. Pure.

export interface SparklineGeometry {
  width: number;
  height: number;
  fromMs: number;
  toMs: number;
  /** The value at the top edge. */
  max: number;
}

/** A sparkline never spans less than this, so one reading is not stretched across the whole width. */
export const MIN_SPARKLINE_SPAN_MS = 60_000;

/**
 * Where a sparkline's time axis starts: at the window's start once history fills it, else at the oldest
 * point (but at least a minute back), so a host added a minute ago draws a readable line, not a dash at
 * the right edge of five empty minutes.
 */
export function sparklineStart(points: readonly { x: number }[], fromMs: number, toMs: number): number {
  const oldest = points[0]?.x ?? fromMs;
  return Math.max(fromMs, Math.min(oldest, toMs - MIN_SPARKLINE_SPAN_MS));
}

/** `line` strokes the values; `area` closes it down to the baseline for the fill. Both empty without points. */
export function sparklinePaths(points: readonly { x: number; y: number }[], geometry: SparklineGeometry): { line: string; area: string } {
  const { width, height, fromMs, toMs } = geometry;
  const span = Math.max(1, toMs - fromMs);
  const scale = geometry.max > 0 ? geometry.max : 1;
  const columns: { x: number; y: number }[] = [];
  for (const point of points) {
    const column = Math.round(((point.x - fromMs) / span) * width);
    const last = columns.at(-1);
    if (last?.x === column) last.y = Math.max(last.y, point.y);
    else columns.push({ x: column, y: point.y });
  }
  const yOf = (value: number): number => height - 1 - (Math.min(scale, Math.max(0, value)) / scale) * (height - 2);
  const line = columns.map((column, index) => `${index === 0 ? 'M' : 'L'}${column.x} ${tenths(yOf(column.y))}`).join('');
  const first = columns[0];
  const last = columns.at(-1);
  const area = first && last && columns.length > 1 ? `${line}L${last.x} ${height}L${first.x} ${height}Z` : '';
  return { line, area };
}

function tenths(value: number): number {
  return Math.round(value * 10) / 10;
}
