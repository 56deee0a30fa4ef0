import { describe, expect, it } from 'vitest';
import { capitalize, formatBytes, formatDuration, formatPercent, formatPower, formatRate, formatTemp, joinWithAnd, listPorts } from './format';

describe('format', () => {
  it('lists things and ports as a sentence says them', () => {
    expect(joinWithAnd([])).toBe('');
    expect(joinWithAnd(['a'])).toBe('a');
    expect(joinWithAnd(['a', 'b'])).toBe('a and b');
    expect(joinWithAnd(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listPorts([3000])).toBe('port 3000');
    expect(capitalize(listPorts([33931, 8082, 3000]))).toBe('Ports 33931, 8082 and 3000');
  });

  it('shows bytes in binary units with one decimal', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(24105 * 1024 * 1024)).toBe('23.5 GiB');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatRate(2 * 1024 * 1024)).toBe('2.0 MiB/s');
  });

  it('shows percent, temperature and durations the way a monitoring user reads them', () => {
    expect(formatPercent(12.345)).toBe('12.3 %');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatTemp(71.6)).toBe('72 °C');
    expect([formatPower(287.4), formatPower(undefined), formatPower(Number.NaN)]).toEqual(['287 W', undefined, undefined]);
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 32 * 60 + 5)).toBe('2d 4h 32m');
    expect(formatDuration(59)).toBe('59s');
    expect(formatDuration(3600)).toBe('1h 0m');
  });
});
