// Pure edits of the alert rules in the settings: validated global rules, and per-host overrides that
// disappear once they no longer change anything.

import { alertRuleSchema, DEFAULT_ALERT_RULES, type AlertRule, type Settings } from '../platform/settings';

export type RuleOverride = Settings['alerts']['overrides'][string][string];

export type RulesCheck = { ok: true; rules: AlertRule[] } | { ok: false; problems: Record<string, string> };

/** Validates edited rules; problems are keyed by rule id and say which field is wrong. */
export function checkRules(rules: readonly AlertRule[]): RulesCheck {
  const problems: Record<string, string> = {};
  const checked: AlertRule[] = [];
  for (const rule of rules) {
    const result = alertRuleSchema.safeParse(rule);
    if (result.success) checked.push(result.data);
    else problems[rule.id] = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  }
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, rules: checked };
}

export function withRules(settings: Settings, rules: AlertRule[]): Settings {
  const ids = new Set(rules.map((rule) => rule.id));
  // Overrides of rules that no longer exist are dropped with them.
  const overrides = Object.fromEntries(
    Object.entries(settings.alerts.overrides)
      .map(([hostKey, perRule]) => [hostKey, Object.fromEntries(Object.entries(perRule).filter(([ruleId]) => ids.has(ruleId)))] as const)
      .filter(([, perRule]) => Object.keys(perRule).length > 0),
  );
  return { ...settings, alerts: { rules, overrides } };
}

export function defaultRules(): AlertRule[] {
  return DEFAULT_ALERT_RULES.map((rule) => ({ ...rule }));
}

/** Sets one host's override of one rule; an override with nothing in it is removed. */
export function withOverride(settings: Settings, hostKey: string, ruleId: string, override: RuleOverride): Settings {
  const cleaned: RuleOverride = {
    ...(override.enabled !== undefined ? { enabled: override.enabled } : {}),
    ...(override.threshold !== undefined && Number.isFinite(override.threshold) ? { threshold: override.threshold } : {}),
  };
  const forHost = { ...(settings.alerts.overrides[hostKey] ?? {}) };
  if (Object.keys(cleaned).length > 0) forHost[ruleId] = cleaned;
  else delete forHost[ruleId];
  const overrides = { ...settings.alerts.overrides };
  if (Object.keys(forHost).length > 0) overrides[hostKey] = forHost;
  else delete overrides[hostKey];
  return { ...settings, alerts: { ...settings.alerts, overrides } };
}
