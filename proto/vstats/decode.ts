// vStats decoders: what a dashboard receives (the documented envelopes and the real hubs' stream_init /
// stream_server / stream_end / delta snapshot and legacy `servers[]`) and what a hub receives from agents.
// Pure functions; anything that is not a message of this protocol decodes to null and never throws.

import { z } from 'zod';
import type { PastReading } from '../client';
import type { Sample } from '../model';
import { parseJson, wireTimeToMs } from '../units';
import { sampleFromCompact, type CompactValues } from './compact';
import { metricsSchema, metricsTimeMs, toHostFacts, toSample, type HostFacts } from './metrics-schema';

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
  | { kind: 'delta'; timeMs: number; updates: DeltaUpdate[] }
  | { kind: 'history'; id: string; readings: PastReading[] };

export type AgentFrame =
  | { kind: 'auth'; serverId: string; token: string; version?: string }
  | { kind: 'metrics'; host: HostFacts; sample: Sample }
  /** A backfill after an outage: `aggregated_metrics` buckets, or `batch_metrics` reports (answered with batch_ack). */
  | { kind: 'backfill'; readings: PastReading[]; batchId?: string | number }
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

const compactSchema = z.object({ c: finite.nullish(), m: finite.nullish(), d: finite.nullish(), rx: finite.nullish(), tx: finite.nullish(), up: finite.nullish() });
const deltaItemSchema = z.object({ id: serverId, on: z.boolean().nullish(), m: compactSchema.nullish() });
const historySchema = z.object({
  data: z.object({
    server_id: serverId,
    readings: z.array(z.object({ timestamp: z.union([z.string().max(64), finite]), interval: finite.positive(), metrics: metricsSchema.nullish(), m: compactSchema.nullish() })).max(100_000),
  }),
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
    case 'history':
      return decodeHistory(parsed);
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

function decodeHistory(parsed: unknown): DashboardFrame | null {
  const message = historySchema.safeParse(parsed);
  if (!message.success) return null;
  const readings = message.data.data.readings.flatMap(({ timestamp, interval, metrics, m }): PastReading[] => {
    const timeMs = wireTimeToMs(timestamp);
    if (timeMs === undefined) return [];
    const sample = metrics ? toSample(metrics, timeMs) : m ? sampleFromCompact(compactValues(m), timeMs) : undefined;
    return sample ? [{ sample: { ...sample, timeMs }, spanMs: interval * 1000 }] : [];
  });
  return { kind: 'history', id: message.data.data.server_id, readings };
}

function compactValues(m: z.infer<typeof compactSchema>): CompactValues {
  const values: CompactValues = {};
  if (m.c != null) values.cpuPercent = m.c;
  if (m.m != null) values.memoryPercent = m.m;
  if (m.d != null) values.diskPercent = m.d;
  if (m.rx != null) values.rxBytesPerSec = m.rx;
  if (m.tx != null) values.txBytesPerSec = m.tx;
  if (m.up != null) values.uptimeSec = m.up;
  return values;
}

function decodeDelta(parsed: unknown, nowMs: number): DashboardFrame | null {
  const message = deltaSchema.safeParse(parsed);
  if (!message.success) return null;
  const timeMs = message.data.ts != null ? (wireTimeToMs(message.data.ts) ?? nowMs) : nowMs;
  const updates = (message.data.d ?? []).flatMap((item): DeltaUpdate[] => {
    const update = deltaItemSchema.safeParse(item);
    if (!update.success) return [];
    const { id, on, m } = update.data;
    const values = m ? compactValues(m) : {};
    return [on != null ? { id, online: on, values } : { id, values }];
  });
  return { kind: 'delta', timeMs, updates };
}

const authSchema = z.object({ server_id: serverId, token: z.string().max(1024), version: label.nullish() });

/** Bounds one backfill frame: a day of per-second reports, or of 5-second buckets in every granularity. */
const MAX_BACKFILL_READINGS = 86_400;
const bucketSchema = z.object({
  bucket: finite,
  cpu_sum: finite.nullish(),
  memory_sum: finite.nullish(),
  disk_sum: finite.nullish(),
  net_rx: finite.nullish(),
  net_tx: finite.nullish(),
  sample_count: finite,
});
const aggregatedSchema = z.object({
  granularities: z
    .array(z.object({ granularity: label.nullish(), interval: z.number().int().min(1).max(86_400 * 31), metrics: z.array(bucketSchema).max(MAX_BACKFILL_READINGS).nullish() }))
    .max(16),
});
/** Real agents wrap each report as `{timestamp, metrics}`; a bare metrics object (its own `timestamp`) is read too. */
const batchItemSchema = z.union([z.object({ timestamp: z.string().max(64), metrics: metricsSchema }), metricsSchema]);
/** Real agents put the reports under `metrics`; real servers read `metrics_batch`. */
const batchSchema = z.object({
  batch_id: z.union([z.string().max(128), finite]).nullish(),
  metrics: z.array(batchItemSchema).max(MAX_BACKFILL_READINGS).nullish(),
  metrics_batch: z.array(batchItemSchema).max(MAX_BACKFILL_READINGS).nullish(),
});

/** One second of a batch report, the bucket's width for an aggregate. */
const REPORT_SPAN_MS = 1000;
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
    case 'aggregated_metrics': {
      const message = aggregatedSchema.safeParse(parsed);
      return message.success ? { kind: 'backfill', readings: aggregatedReadings(message.data) } : null;
    }
    case 'batch_metrics': {
      const message = batchSchema.safeParse(parsed);
      if (!message.success) return null;
      // A report without a time of its own cannot be placed in the past: it is left out.
      const readings = (message.data.metrics ?? message.data.metrics_batch ?? []).flatMap((item): PastReading[] => {
        const metrics = 'metrics' in item && item.metrics ? { ...item.metrics, timestamp: item.timestamp } : item;
        return metricsTimeMs(metrics, NaN) >= 0 ? [{ sample: toSample(metrics, NaN), spanMs: REPORT_SPAN_MS }] : [];
      });
      const batchId = message.data.batch_id ?? undefined;
      return batchId === undefined ? { kind: 'backfill', readings } : { kind: 'backfill', readings, batchId };
    }
    default:
      return { kind: 'other', type: head.data.type };
  }
}

/**
 * Each bucket as a reading over its interval: `bucket` counts intervals since the epoch, `*_sum` add up
 * `sample_count` samples' percents. Every granularity is kept: the history store prefers the finest for
 * any stretch of time and fills with coarser ones only what finer ones lack.
 */
function aggregatedReadings(message: z.infer<typeof aggregatedSchema>): PastReading[] {
  return message.granularities.flatMap(({ interval, metrics }) =>
    (metrics ?? []).flatMap((bucket): PastReading[] => {
      if (!(bucket.sample_count > 0)) return [];
      const mean = (sum: number | null | undefined): number | undefined => (sum == null ? undefined : sum / bucket.sample_count);
      const values: CompactValues = {};
      const [cpu, memory, disk] = [mean(bucket.cpu_sum), mean(bucket.memory_sum), mean(bucket.disk_sum)];
      if (cpu !== undefined) values.cpuPercent = cpu;
      if (memory !== undefined) values.memoryPercent = memory;
      if (disk !== undefined) values.diskPercent = disk;
      return [{ sample: sampleFromCompact(values, bucket.bucket * interval * 1000), spanMs: interval * 1000 }];
    }),
  );
}

const authReplySchema = z.object({ type: z.literal('auth'), status: z.enum(['ok', 'error']), message: label.nullish(), last_seen: z.union([z.string().max(64), finite]).nullish() });
const batchAckSchema = z.object({ type: z.literal('batch_ack'), batch_id: z.union([z.string().max(128), finite]), accepted: finite.nullish(), rejected: finite.nullish() });

export type HubReply = { kind: 'auth'; ok: boolean; message?: string; lastSeenMs?: number } | { kind: 'batch_ack'; batchId: string | number; accepted: number; rejected: number };

/** A hub's answer to an agent (auth, batch_ack); null for any other frame. */
export function decodeHubReply(data: string): HubReply | null {
  const parsed = parseJson(data);
  const ack = batchAckSchema.safeParse(parsed);
  if (ack.success) return { kind: 'batch_ack', batchId: ack.data.batch_id, accepted: ack.data.accepted ?? 0, rejected: ack.data.rejected ?? 0 };
  const reply = authReplySchema.safeParse(parsed);
  if (!reply.success) return null;
  const answer: HubReply = { kind: 'auth', ok: reply.data.status === 'ok' };
  if (reply.data.message) answer.message = reply.data.message;
  const lastSeenMs = wireTimeToMs(reply.data.last_seen);
  if (lastSeenMs !== undefined) answer.lastSeenMs = lastSeenMs;
  return answer;
}
