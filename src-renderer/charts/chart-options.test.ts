import { describe, expect, it } from 'vitest';
import { formatValue, timeChartOptions } from './chart-options';

const theme = { text: '#111', muted: '#666', grid: '#ddd', surface: '#fff', series: ['#00f'] };

describe('timeChartOptions', () => {
  it('draws without animation, from pre-parsed data, decimated with LTTB on a linear epoch-ms axis', () => {
    const options = timeChartOptions({ fromMs: 1000, toMs: 301_000, left: { unit: 'percent', max: 100 }, theme, legend: false });
    expect(options.animation).toBe(false);
    expect(options.parsing).toBe(false);
    expect(options.normalized).toBe(true);
    expect(options.plugins?.decimation).toMatchObject({ enabled: true, algorithm: 'lttb' });
    expect(options.scales?.x).toMatchObject({ type: 'linear', min: 1000, max: 301_000, ticks: { stepSize: 60_000, includeBounds: false } });
    expect(options.scales?.y).toMatchObject({ min: 0, max: 100 });
    expect(options.scales?.y2).toBeUndefined();
  });

  it('adds a right-hand axis for a second unit', () => {
    const options = timeChartOptions({ fromMs: 0, toMs: 1, left: { unit: 'percent', max: 100 }, right: { unit: 'celsius' }, theme, legend: true });
    expect(options.scales?.y2).toMatchObject({ position: 'right', suggestedMax: 100 });
  });

  it('formats values by unit', () => {
    expect(formatValue('percent', 12.345)).toBe('12.3 %');
    expect(formatValue('bytesPerSec', 2048)).toBe('2.0 KiB/s');
    expect(formatValue('celsius', 71.6)).toBe('72 °C');
  });
});
