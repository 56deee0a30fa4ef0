// --vstats-push: this agent also reports itself to a vStats hub, as a real agent would. On open it sends the
// real agents' auth message (token from the URL's ?token=, which documented hubs check instead), then
// metrics every interval and heartbeats, and reconnects with capped backoff. Readings taken while the hub
// cannot be reached go to a backlog on disk; once a hub answers auth (with `last_seen`, what it already
// holds) the rest is backfilled as `batch_metrics`, one batch at a time, each dropped when acknowledged.
// Never logs the token.

import path from 'node:path';
import WebSocket from 'ws';
import { backoffDelayMs, type BackoffPolicy } from '../../../proto/connection';
import { decodeHubReply } from '../../../proto/vstats/decode';
import { encodeAgentAuth, encodeAgentMetrics, encodeBatchMetrics, encodeHeartbeat, type AgentMetrics } from '../../../proto/vstats/wire';
import type { Logger } from '../../log';
import type { Sampler } from '../../sampler/sampler';
import { Keepalive, type KeepaliveOptions } from './keepalive';
import { withoutCredentials } from '../../../proto/target';
import { PushBacklog } from './push-backlog';

export const HEARTBEAT_INTERVAL_MS = 15_000;
/** What the auth message reports as the agent's version. */
export const PUSH_AGENT_VERSION = 'fleetwatch-agent';
/** A connection that stayed up this long was working: the next failure starts the backoff over. */
const STABLE_AFTER_MS = 10_000;
/** Frames are dropped rather than queued while the hub is this far behind. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A hub answers auth and batch_ack; anything bigger is not one. */
const MAX_INBOUND_BYTES = 64 * 1024;
/** Readings per backfill batch: about 100 KB, under even a documented hub's frame limit. */
export const BACKFILL_BATCH = 100;
/** A hub that has not acknowledged a batch by then does not take backfills. */
export const BATCH_ACK_TIMEOUT_MS = 30_000;
/** The backlog on disk: at one reading a second, about eight hours of a typical machine. */
export const BACKLOG_MAX_BYTES = 32 * 1024 * 1024;
export const BACKLOG_FILE = 'vstats-push-backlog.jsonl';

export interface PushOptions {
  url: string;
  serverId: string;
  intervalMs: number;
  sampler: Sampler;
  log: Logger;
  /** Where the backlog file lives. */
  dataDir: string;
  keepalive?: KeepaliveOptions;
  backoff?: BackoffPolicy;
  batchAckTimeoutMs?: number;
}

export interface Pusher {
  close(): void;
}

export function startPush(options: PushOptions): Pusher {
  const { serverId, log } = options;
  const target = withoutCredentials(options.url);
  const token = new URL(options.url).searchParams.get('token') ?? '';
  const keepalive = new Keepalive(options.keepalive);
  const backlog = new PushBacklog({ file: path.join(options.dataDir, BACKLOG_FILE), maxBytes: BACKLOG_MAX_BYTES, onProblem: (message) => log.warn(message) });
  let socket: WebSocket | undefined;
  let failures = 0;
  let stopped = false;
  /** After one failure is reported as a warning, repeats of it go to debug until a push works again. */
  let reportedFailure = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let batchSize = BACKFILL_BATCH;
  let batchCount = 0;
  /** The batch sent and not yet acknowledged, on the socket that carried it. */
  let inFlight: { id: string; count: number; peer: WebSocket; timer: ReturnType<typeof setTimeout> } | undefined;
  if (backlog.size > 0) log.info(`${backlog.size} readings kept from before are backfilled once ${target} answers`);

  const send = (peer: WebSocket | undefined, message: unknown): boolean => {
    if (!peer || peer.readyState !== WebSocket.OPEN || peer.bufferedAmount > MAX_BUFFERED_BYTES) return false;
    peer.send(JSON.stringify(message));
    return true;
  };

  const sampleTimer = setInterval(() => {
    options.sampler
      .snapshot({ disks: true, gpus: true })
      .then(({ host, sample }) => {
        const message = encodeAgentMetrics(host, sample);
        if (!send(socket, message)) backlog.add({ timeMs: sample.timeMs, json: JSON.stringify(message.metrics) });
      })
      .catch((error: Error) => log.warn(`sampling for the push failed: ${error.message}`));
  }, options.intervalMs);

  const settle = (): void => {
    if (!inFlight) return;
    clearTimeout(inFlight.timer);
    inFlight = undefined;
  };

  const backfill = (peer: WebSocket): void => {
    if (inFlight || backlog.size === 0 || peer !== socket) return;
    const entries = backlog.peek(batchSize);
    batchCount += 1;
    const id = `${serverId}-${Date.now()}-${batchCount}`;
    if (!send(peer, encodeBatchMetrics(id, entries.map((entry) => JSON.parse(entry.json) as AgentMetrics)))) return;
    const timer = setTimeout(() => {
      if (inFlight?.id !== id) return;
      inFlight = undefined;
      log.info(`${target} did not acknowledge a backfill within ${(options.batchAckTimeoutMs ?? BATCH_ACK_TIMEOUT_MS) / 1000} s: it does not take them; ${backlog.size} kept readings dropped`);
      backlog.clear();
    }, options.batchAckTimeoutMs ?? BATCH_ACK_TIMEOUT_MS);
    inFlight = { id, count: entries.length, peer, timer };
  };

  const connect = (): void => {
    retryTimer = undefined;
    const current = new WebSocket(options.url, { handshakeTimeout: 10_000, maxPayload: MAX_INBOUND_BYTES, perMessageDeflate: false });
    socket = current;
    let openedAtMs: number | undefined;
    let lastError: string | undefined;
    let heartbeatTimer: ReturnType<typeof setInterval> | undefined;

    current.on('open', () => {
      openedAtMs = Date.now();
      keepalive.watch(current);
      send(current, encodeAgentAuth(serverId, token, PUSH_AGENT_VERSION));
      send(current, encodeHeartbeat(Date.now()));
      heartbeatTimer = setInterval(() => send(current, encodeHeartbeat(Date.now())), HEARTBEAT_INTERVAL_MS);
    });
    current.on('message', (data, isBinary) => {
      const reply = isBinary ? null : decodeHubReply(data.toString());
      if (reply?.kind === 'batch_ack') {
        if (inFlight?.id !== String(reply.batchId) || inFlight.peer !== current) return;
        backlog.drop(inFlight.count);
        settle();
        if (backlog.size === 0) log.info(`backfill to ${target} done`);
        backfill(current);
        return;
      }
      if (!reply) return;
      if (reply.ok) {
        failures = 0;
        if (reportedFailure) log.info(`pushing to ${target} as ${serverId} again`);
        reportedFailure = false;
        if (reply.lastSeenMs !== undefined) backlog.dropThrough(reply.lastSeenMs);
        if (backlog.size > 0) log.info(`backfilling ${backlog.size} readings to ${target}`);
        backfill(current);
        return;
      }
      lastError = `the hub refused the token${reply.message ? ` (${JSON.stringify(reply.message.slice(0, 200))})` : ''}`;
      current.close();
    });
    current.on('error', (error) => {
      lastError = error.message;
    });
    current.on('close', (code, reason) => {
      clearInterval(heartbeatTimer);
      if (socket === current) socket = undefined;
      if (inFlight?.peer === current) {
        settle();
        // A batch too big for the hub: smaller ones next time, and none at all rather than the same for ever.
        if (code === 1009) {
          if (batchSize === 1) {
            log.warn(`${target} refuses even a single backfilled reading as too big (${reason.toString().slice(0, 200) || 'code 1009'}); ${backlog.size} kept readings dropped`);
            backlog.clear();
          }
          batchSize = Math.max(1, Math.floor(batchSize / 4));
        }
      }
      if (stopped) return;
      if (openedAtMs !== undefined && Date.now() - openedAtMs >= STABLE_AFTER_MS) failures = 0;
      failures += 1;
      const delayMs = backoffDelayMs(failures, options.backoff);
      const line = `push to ${target}: ${lastError ?? `connection closed (code ${code})`}; retrying in ${Math.round(delayMs / 100) / 10} s (readings kept meanwhile)`;
      if (reportedFailure) log.debug(line);
      else log.warn(line);
      reportedFailure = true;
      retryTimer = setTimeout(connect, delayMs);
    });
  };

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(sampleTimer);
      settle();
      keepalive.close();
      socket?.close(1001, 'agent stopping');
    },
  };
}
