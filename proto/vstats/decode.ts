// vStats decoders: what a dashboard receives (the documented envelopes and the real hubs' stream_init /
// stream_server / stream_end / delta snapshot and legacy `servers[]`) and what a hub receives from agents.
// Pure functions; anything that is not a message of this protocol decodes to null and never throws.

import { z } from 'zod';
import type { Sample } from '../model';
import { parseJson, wireTimeToMs } from '../units';
import type { CompactValues } from './compact';
import { metricsSchema, toHostFacts, toSample, type HostFacts } from './metrics-schema';

/** One server as a dashboard learns about it from a snapshot or a legacy `servers[]` message. */
export interface ServerState {
  id: string;
  name?: string;
  location?: string;
  online?: boolean;
  host: HostFacts;
  sample?: Sample;
}

export interface DeltaUpdate {
  id: string;
  online?: boolean;
  values: CompactValues;
}

export type DashboardFrame =
  | { kind: 'server_added'; id: string; name?: string; location?: string }
  | { kind: 'status'; id: string; online: boolean }
  | { kind: 'server_removed'; id: string }
  | { kind: 'metrics'; id: string; host: HostFacts; sample: Sample }
  | { kind: 'stream_init'; totalServers?: number }
  | { kind: 'stream_server'; server: ServerState }
  | { kind: 'stream_end' }
  | { kind: 'servers'; servers: ServerState[] }
  | { kind: 'delta'; timeMs: number; updates: DeltaUpdate[] };

export type AgentFrame =
  | { kind: 'auth'; serverId: string; token: string; version?: string }
  | { kind: 'metrics'; host: HostFacts; sample: Sample }
  | { kind: 'heartbeat' }
  | { kind: 'other'; type: string };

const finite = z.number().finite();
const serverId = z.string().min(1).max(256);
const label = z.string().max(1024);
/** Bounds how much one frame can make a client or hub do. */
const MAX_SERVERS_PER_FRAME = 10_000;

const typed = z.object({ type: z.string().max(64) });
const envelopeTime = z.union([z.string().max(64), finite]).nullish();

const serverAddedSchema = z.object({ data: z.object({ id: serverId, name: label.nullish(), location: label.nullish() }) });
const statusSchema = z.object({ data: z.object({ server_id: serverId, online: z.boolean() }) });
const serverRemovedSchema = z.object({ data: z.object({ id: serverId }) });
const documentedMetricsSchema = z.object({ data: z.object({ server_id: serverId, metrics: metricsSchema }), timestamp: envelopeTime });
const legacyMetricsSchema = z.object({ servers: z.array(z.unknown()).max(MAX_SERVERS_PER_FRAME) });
const streamInitSchema = z.object({ total_servers: finite.nullish() });
const streamServerSchema = z.object({ server: z.unknown() });
const deltaSchema = z.object({ ts: finite.nullish(), d: z.array(z.unknown()).max(MAX_SERVERS_PER_FRAME).nullish() });

const serverUpdateSchema = z.object({
  server_id: serverId,
  server_name: label.nullish(),
  location: label.nullish(),
  online: z.boolean().nullish(),
  metrics: metricsSchema.nullish(),
});

const deltaItemSchema = z.object({
  id: serverId,
  on: z.boolean().nullish(),
  m: z.object({ c: finite.nullish(), m: finite.nullish(), d: finite.nullish(), rx: finite.nullish(), tx: finite.nullish(), up: finite.nullish() }).nullish(),
});

/** Decodes one frame a hub sent to a dashboard. */
export function decodeDashboardFrame(data: string, nowMs: number): DashboardFrame | null {
  const parsed = parseJson(data);
  const head = typed.safeParse(parsed);
  if (!head.success) return null;
  switch (head.data.type) {
    case 'server_added': {
      const message = serverAddedSchema.safeParse(parsed);
      return message.success ? { kind: 'server_added', id: message.data.data.id, name: message.data.data.name || undefined, location: message.data.data.location || undefined } : null;
    }
    case 'status': {
      const message = statusSchema.safeParse(parsed);
      return message.success ? { kind: 'status', id: message.data.data.server_id, online: message.data.data.online } : null;
    }
    case 'server_removed': {
      const message = serverRemovedSchema.safeParse(parsed);
      return message.success ? { kind: 'server_removed', id: message.data.data.id } : null;
    }
    case 'metrics':
      return decodeMetricsFrame(parsed, nowMs);
    case 'stream_init': {
      const message = streamInitSchema.safeParse(parsed);
      return message.success ? { kind: 'stream_init', totalServers: message.data.total_servers ?? undefined } : null;
    }
    case 'stream_server': {
      const message = streamServerSchema.safeParse(parsed);
      const server = message.success ? decodeServer(message.data.server, nowMs) : null;
      return server ? { kind: 'stream_server', server } : null;
    }
    case 'stream_end':
      return { kind: 'stream_end' };
    case 'delta':
      return decodeDelta(parsed, nowMs);
    default:
      return null;
  }
}

function decodeMetricsFrame(parsed: unknown, nowMs: number): DashboardFrame | null {
  const documented = documentedMetricsSchema.safeParse(parsed);
  if (documented.success) {
    const { server_id: id, metrics } = documented.data.data;
    const sample = toSample(metrics, wireTimeToMs(documented.data.timestamp) ?? nowMs);
    return { kind: 'metrics', id, host: toHostFacts(metrics), sample };
  }
  const legacy = legacyMetricsSchema.safeParse(parsed);
  if (!legacy.success) return null;
  return { kind: 'servers', servers: legacy.data.servers.flatMap((item) => decodeServer(item, nowMs) ?? []) };
}

function decodeServer(value: unknown, nowMs: number): ServerState | null {
  const server = serverUpdateSchema.safeParse(value);
  if (!server.success) return null;
  const { server_id: id, server_name: name, location, online, metrics } = server.data;
  const state: ServerState = { id, host: metrics ? toHostFacts(metrics) : {} };
  if (name) state.name = name;
  if (location) state.location = location;
  if (online != null) state.online = online;
  if (metrics) state.sample = toSample(metrics, nowMs);
  return state;
}

function decodeDelta(parsed: unknown, nowMs: number): DashboardFrame | null {
  const message = deltaSchema.safeParse(parsed);
  if (!message.success) return null;
  const timeMs = message.data.ts != null ? (wireTimeToMs(message.data.ts) ?? nowMs) : nowMs;
  const updates = (message.data.d ?? []).flatMap((item): DeltaUpdate[] => {
    const update = deltaItemSchema.safeParse(item);
    if (!update.success) return [];
    const { id, on, m } = update.data;
    const values: CompactValues = {};
    if (m?.c != null) values.cpuPercent = m.c;
    if (m?.m != null) values.memoryPercent = m.m;
    if (m?.d != null) values.diskPercent = m.d;
    if (m?.rx != null) values.rxBytesPerSec = m.rx;
    if (m?.tx != null) values.txBytesPerSec = m.tx;
    if (m?.up != null) values.uptimeSec = m.up;
    return [on != null ? { id, online: on, values } : { id, values }];
  });
  return { kind: 'delta', timeMs, updates };
}

const authSchema = z.object({ server_id: serverId, token: z.string().max(1024), version: label.nullish() });
const agentMetricsSchema = z.object({ data: metricsSchema.nullish(), metrics: metricsSchema.nullish() });

/** Decodes one frame an agent sent to a hub on /ws/agent. */
export function decodeAgentFrame(data: string, nowMs: number): AgentFrame | null {
  const parsed = parseJson(data);
  const head = typed.safeParse(parsed);
  if (!head.success) return null;
  switch (head.data.type) {
    case 'auth': {
      const message = authSchema.safeParse(parsed);
      if (!message.success) return null;
      const { server_id, token, version } = message.data;
      return version ? { kind: 'auth', serverId: server_id, token, version } : { kind: 'auth', serverId: server_id, token };
    }
    case 'metrics': {
      // Documented agents send `data`, real agents `metrics`.
      const message = agentMetricsSchema.safeParse(parsed);
      const metrics = message.success ? (message.data.data ?? message.data.metrics) : undefined;
      return metrics ? { kind: 'metrics', host: toHostFacts(metrics), sample: toSample(metrics, nowMs) } : null;
    }
    case 'heartbeat':
      return { kind: 'heartbeat' };
    default:
      return { kind: 'other', type: head.data.type };
  }
}

const authReplySchema = z.object({ type: z.literal('auth'), status: z.enum(['ok', 'error']), message: label.nullish() });

/** A hub's answer to an agent's auth message; null for any other frame. */
export function decodeAuthReply(data: string): { ok: boolean; message?: string } | null {
  const reply = authReplySchema.safeParse(parseJson(data));
  if (!reply.success) return null;
  return reply.data.message ? { ok: reply.data.status === 'ok', message: reply.data.message } : { ok: reply.data.status === 'ok' };
}
