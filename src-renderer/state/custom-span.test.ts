import { describe, expect, it } from 'vitest';
import { parseCustomSpan, toLocalInput } from './time-format';

const NOW = new Date(2026, 11, 4, 15, 30).getTime();

describe('a custom chart span', () => {
  it('reads two local times, and an end after now as now', () => {
    expect(parseCustomSpan('2026-12-03T09:00', '2026-12-03T17:30', NOW)).toEqual({ span: { kind: 'custom', fromMs: new Date(2026, 11, 3, 9, 0).getTime(), toMs: new Date(2026, 11, 3, 17, 30).getTime() } });
    expect(parseCustomSpan('2026-12-04T15:00', '2026-12-05T00:00', NOW)).toEqual({ span: { kind: 'custom', fromMs: new Date(2026, 11, 4, 15, 0).getTime(), toMs: NOW } });
  });

  it('says what is wrong with a span it cannot chart', () => {
    expect(parseCustomSpan('', '2026-12-03T17:30', NOW)).toEqual({ error: 'Give both a start and an end.' });
    expect(parseCustomSpan('yesterday', '2026-12-03T17:30', NOW)).toEqual({ error: 'That is not a date and time.' });
    expect(parseCustomSpan('2026-12-05T09:00', '2026-12-06T09:00', NOW)).toEqual({ error: 'The start is in the future.' });
    expect(parseCustomSpan('2026-12-03T17:30', '2026-12-03T09:00', NOW)).toEqual({ error: 'The end must come at least a minute after the start.' });
  });

  it('writes a time the way a datetime-local input reads it back', () => {
    expect(toLocalInput(new Date(2026, 0, 2, 3, 4).getTime())).toBe('2026-01-02T03:04');
    expect(parseCustomSpan(toLocalInput(NOW - 3_600_000), toLocalInput(NOW), NOW)).toEqual({ span: { kind: 'custom', fromMs: NOW - 3_600_000, toMs: NOW } });
  });
});
