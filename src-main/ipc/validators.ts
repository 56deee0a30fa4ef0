// Validates everything the renderer sends before a handler sees it: the renderer is untrusted (it talks to
// arbitrary servers), so every channel input is parsed with a schema and its sender frame is checked.

import { z } from 'zod';
import type { AppNotification, FleetSnapshot } from '../../src-renderer/platform/platform';
import { settingsSchema, type Settings } from '../../src-renderer/platform/settings';
import type { InputOf, RendererKey } from './channels';

const percent = z.number().min(0).max(1000);

export const notificationSchema = z.object({
  id: z.string().min(1).max(300),
  title: z.string().min(1).max(200),
  body: z.string().max(1000),
  severity: z.enum(['warning', 'critical', 'info']),
  hostKey: z.string().min(1).max(300).optional(),
}) satisfies z.ZodType<AppNotification>;

export const fleetSnapshotSchema = z.object({
  hosts: z
    .array(
      z.object({
        key: z.string().min(1).max(300),
        name: z.string().max(200),
        state: z.enum(['ok', 'warning', 'alert', 'offline']),
        cpuPercent: percent.optional(),
        gpuPercent: percent.optional(),
      }),
    )
    .max(2000),
}) satisfies z.ZodType<FleetSnapshot>;

const noInput = z.undefined();

/** One schema per renderer-to-main channel; the annotation makes a schema that drifts from its type fail to compile. */
export const INPUT_SCHEMAS: { [K in RendererKey]: z.ZodType<InputOf<K>> } = {
  loadSettings: noInput,
  saveSettings: settingsSchema satisfies z.ZodType<Settings>,
  getAgentStatus: noInput,
  retryAgent: noInput,
  getDiscovery: noInput,
  scanDiscovery: noInput,
  notify: notificationSchema,
  publishFleet: fleetSnapshotSchema,
};

export type Validated<K extends RendererKey> = { ok: true; value: InputOf<K> } | { ok: false; problem: string };

/** Checks the arguments of one IPC message: at most one, matching the channel's schema. */
export function validateInput<K extends RendererKey>(key: K, args: readonly unknown[]): Validated<K> {
  if (args.length > 1) return { ok: false, problem: `${key}: expected at most one argument, got ${args.length}` };
  const result = INPUT_SCHEMAS[key].safeParse(args[0]);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${key}: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}` };
}

export interface AppEntry {
  /** The server the page comes from: the hub on loopback, or the dev server under `electron-vite dev`. */
  servedFrom: string;
}

/** Whether a URL is the app's own page (any hash or query): only it may call IPC or be navigated to. */
export function isAppUrl(url: string | undefined, entry: AppEntry): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol !== 'file:' && parsed.origin === new URL(entry.servedFrom).origin;
}
