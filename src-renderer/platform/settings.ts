// The app's settings: one JSON document, validated wherever it is read (the main process on load, the
// web platform from localStorage). Defaults are what a new user starts with.

import { z } from 'zod';
import { DEFAULT_ALERT_RULES, ruleSetSchema } from '../../fleet/alerts/rules';
import { MAX_SERVERS, serverEntrySchema } from '../../fleet/server-entry';
import { MAX_TAG_LENGTH } from '../../fleet/tags';

export { ALERT_METRICS, alertRuleSchema, DEFAULT_ALERT_RULES, type AlertMetric, type AlertRule } from '../../fleet/alerts/rules';

export type { ServerEntry } from '../../fleet/server-entry';

export const settingsSchema = z.object({
  version: z.literal(1),
  servers: z.array(serverEntrySchema).max(MAX_SERVERS),
  alerts: ruleSetSchema,
  /** `host:port` → SHA-256 fingerprint of the certificate (hex, colons optional) for wss:// servers. */
  certificatePins: z.record(z.string().max(300), z.string().regex(/^([0-9a-f]{2}:?){31}[0-9a-f]{2}$/i)),
  window: z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(400).max(20_000), height: z.number().int().min(300).max(20_000), maximized: z.boolean() }).optional(),
  theme: z.enum(['system', 'light', 'dark']),
  /** The overview as cards or as the dense fleet table; settings saved before the table had neither. */
  overviewLayout: z.enum(['cards', 'table']).default('cards'),
  /** Hosts in one list, or under a header per tag. */
  overviewGrouping: z.enum(['none', 'tag']).default('none'),
  /** The groups folded to their header, by lower-case tag ('' for the hosts without tags). */
  collapsedGroups: z.array(z.string().max(MAX_TAG_LENGTH)).max(500).default([]),
});
export type Settings = z.infer<typeof settingsSchema>;


export function defaultSettings(): Settings {
  return { version: 1, servers: [], alerts: { rules: DEFAULT_ALERT_RULES.map((rule) => ({ ...rule })), overrides: {} }, certificatePins: {}, theme: 'system', overviewLayout: 'cards', overviewGrouping: 'none', collapsedGroups: [] };
}

export type SettingsParse = { ok: true; settings: Settings } | { ok: false; problem: string };

/** Validates untrusted settings JSON; the problem names the first field that is wrong. */
export function parseSettings(raw: unknown): SettingsParse {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return { ok: true, settings: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: issue ? `${issue.path.join('.') || 'settings'}: ${issue.message}` : 'invalid settings' };
}
