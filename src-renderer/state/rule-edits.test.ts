import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../platform/settings';
import { checkRules, defaultRules, withOverride, withRules } from './rule-edits';

describe('rule edits', () => {
  it('accepts valid rules and names the field of an invalid one', () => {
    expect(checkRules(defaultRules()).ok).toBe(true);
    const broken = defaultRules().map((rule) => (rule.id === 'cpu-high' ? { ...rule, forSeconds: -1 } : rule));
    const check = checkRules(broken);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems['cpu-high']).toContain('forSeconds');
  });

  it('sets and clears a host override, leaving no empty objects behind', () => {
    let settings = withOverride(defaultSettings(), 'srv-1', 'cpu-high', { threshold: 50 });
    expect(settings.alerts.overrides).toEqual({ 'srv-1': { 'cpu-high': { threshold: 50 } } });
    settings = withOverride(settings, 'srv-1', 'cpu-high', { enabled: false, threshold: Number.NaN });
    expect(settings.alerts.overrides).toEqual({ 'srv-1': { 'cpu-high': { enabled: false } } });
    settings = withOverride(settings, 'srv-1', 'cpu-high', {});
    expect(settings.alerts.overrides).toEqual({});
  });

  it('drops the overrides of a rule that was removed', () => {
    let settings = withOverride(defaultSettings(), 'srv-1', 'gpu-hot', { threshold: 70 });
    settings = withOverride(settings, 'srv-1', 'cpu-high', { threshold: 70 });
    settings = withRules(settings, defaultRules().filter((rule) => rule.id !== 'gpu-hot'));
    expect(settings.alerts.overrides).toEqual({ 'srv-1': { 'cpu-high': { threshold: 70 } } });
  });
});
