// Alert rules as the user sets them: global rules on a metric with a threshold, a delay, hysteresis and a
// cooldown, and per-host overrides. Validated wherever they are read (settings, a hub's rules.json, its API).

import { z } from 'zod';

export const ALERT_METRICS = ['cpu', 'memory', 'gpuUtilization', 'gpuMemory', 'gpuTemp'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const alertRuleSchema = z.object({
  id: z.string().min(1).max(64),
  metric: z.enum(ALERT_METRICS),
  /** Percent, or °C for gpuTemp. */
  threshold: z.number().min(0).max(200),
  /** The value must stay above the threshold this long before the alert fires. */
  forSeconds: z.number().int().min(0).max(3600),
  /** The alert clears only once the value drops this far below the threshold. */
  hysteresis: z.number().min(0).max(100),
  /** After an alert clears, the same rule stays quiet on that host this long. */
  cooldownSeconds: z.number().int().min(0).max(86_400),
  severity: z.enum(['warning', 'critical']),
  enabled: z.boolean(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** Per-host changes to a global rule. */
export const ruleOverrideSchema = z.object({ enabled: z.boolean().optional(), threshold: z.number().min(0).max(200).optional() });

export const ruleSetSchema = z.object({
  rules: z.array(alertRuleSchema).max(50),
  /** hostKey → ruleId → override. */
  overrides: z.record(z.string().max(300), z.record(z.string().max(64), ruleOverrideSchema)),
});
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type RuleOverrides = RuleSet['overrides'];

export const DEFAULT_ALERT_RULES: AlertRule[] = [
  { id: 'cpu-high', metric: 'cpu', threshold: 90, forSeconds: 30, hysteresis: 10, cooldownSeconds: 300, severity: 'warning', enabled: true },
  { id: 'memory-high', metric: 'memory', threshold: 90, forSeconds: 60, hysteresis: 5, cooldownSeconds: 600, severity: 'warning', enabled: true },
  { id: 'gpu-busy', metric: 'gpuUtilization', threshold: 98, forSeconds: 300, hysteresis: 10, cooldownSeconds: 900, severity: 'warning', enabled: false },
  { id: 'gpu-memory-full', metric: 'gpuMemory', threshold: 95, forSeconds: 30, hysteresis: 5, cooldownSeconds: 600, severity: 'warning', enabled: true },
  { id: 'gpu-hot', metric: 'gpuTemp', threshold: 85, forSeconds: 20, hysteresis: 5, cooldownSeconds: 300, severity: 'critical', enabled: true },
];
