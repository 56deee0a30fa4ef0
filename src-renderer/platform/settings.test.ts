import { describe, expect, it } from 'vitest';
import { defaultSettings, parseSettings } from './settings';

describe('settings', () => {
  it('accepts the defaults and survives a JSON round trip', () => {
    const result = parseSettings(JSON.parse(JSON.stringify(defaultSettings())));
    expect(result).toEqual({ ok: true, settings: defaultSettings() });
  });

  it.each([
    [null, /settings/],
    [{ ...defaultSettings(), version: 2 }, /version/],
    [{ ...defaultSettings(), servers: [{ id: 'a', input: '', endpoints: [], addedAtMs: 0 }] }, /servers\.0\.input/],
    [{ ...defaultSettings(), servers: [{ id: 'a', input: 'h', endpoints: [{ protocol: 'telnet', url: 'x' }], addedAtMs: 0 }] }, /protocol/],
    [{ ...defaultSettings(), certificatePins: { 'h:8443': 'not-a-fingerprint' } }, /certificatePins/],
    [{ ...defaultSettings(), theme: 'neon' }, /theme/],
  ])('rejects %j and names the field', (raw, problem) => {
    const result = parseSettings(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem).toMatch(problem);
  });
});
