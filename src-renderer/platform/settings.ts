// The app's settings: one JSON document, validated wherever it is read (the main process on load, the
// web platform from localStorage). Defaults are what a new user starts with.

import { z } from 'zod';
import { MAX_SERVERS, serverEntrySchema } from '../../fleet/server-entry';

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

export type { ServerEntry } from '../../fleet/server-entry';

export const settingsSchema = z.object({
  version: z.literal(1),
  servers: z.array(serverEntrySchema).max(MAX_SERVERS),
  alerts: z.object({
    rules: z.array(alertRuleSchema).max(50),
    /** hostKey → ruleId → override. */
    overrides: z.record(z.string().max(300), z.record(z.string().max(64), ruleOverrideSchema)),
  }),
  /** `host:port` → SHA-256 fingerprint of the certificate (hex, colons optional) for wss:// servers. */
  certificatePins: z.record(z.string().max(300), z.string().regex(/^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i)),
  window: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400).max(20_000), height: z.number().int().min(300).max(20_000), maximized: z.boolean() }).optional(),
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_ALERT_RULES: AlertRule[] = [
  { id: 'cpu-high', metric: 'cpu', threshold: 90, forSeconds: 30, hysteresis: 10, cooldownSeconds: 300, severity: 'warning', enabled: true },
  { id: 'memory-high', metric: 'memory', threshold: 90, forSeconds: 60, hysteresis: 5, cooldownSeconds: 600, severity: 'warning', enabled: true },
  { id: 'gpu-busy', metric: 'gpuUtilization', threshold: 98, forSeconds: 300, hysteresis: 10, cooldownSeconds: 900, severity: 'warning', enabled: false },
  { id: 'gpu-memory-full', metric: 'gpuMemory', threshold: 95, forSeconds: 30, hysteresis: 5, cooldownSeconds: 600, severity: 'warning', enabled: true },
  { id: 'gpu-hot', metric: 'gpuTemp', threshold: 85, forSeconds: 20, hysteresis: 5, cooldownSeconds: 300, severity: 'critical', enabled: true },
];

export function defaultSettings(): Settings {
  return { version: 1, servers: [], alerts: { rules: DEFAULT_ALERT_RULES.map((rule) => ({ ...rule })), overrides: {} }, certificatePins: {}, theme: 'system' };
}

export type SettingsParse = { ok: true; settings: Settings } | { ok: false; problem: string };

/** Validates untrusted settings JSON; the problem names the first field that is wrong. */
export function parseSettings(raw: unknown): SettingsParse {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return { ok: true, settings: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: issue ? `${issue.path.join('.') || 'settings'}: ${issue.message}` : 'invalid settings' };
}
