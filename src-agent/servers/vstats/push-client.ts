// --vstats-push: this agent also reports itself to a vStats hub, as a real agent would. On open it sends the
// real agents' auth message (token from the URL's ?token=, which documented hubs check instead), then
// metrics every interval and heartbeats, and reconnects with capped backoff. Never logs the token.

import WebSocket from 'ws';
import { backoffDelayMs, type BackoffPolicy } from '../../../proto/connection';
import { decodeAuthReply } from '../../../proto/vstats/decode';
import { encodeAgentAuth, encodeAgentMetrics, encodeHeartbeat } from '../../../proto/vstats/wire';
import type { Logger } from '../../log';
import type { Sampler } from '../../sampler/sampler';
import { Keepalive, type KeepaliveOptions } from './keepalive';
import { withoutCredentials } from '../../../proto/target';

export const HEARTBEAT_INTERVAL_MS = 15_000;
/** What the auth message reports as the agent's version. */
export const PUSH_AGENT_VERSION = 'fleetwatch-agent';
/** A connection that stayed up this long was working: the next failure starts the backoff over. */
const STABLE_AFTER_MS = 10_000;
/** Frames are dropped rather than queued while the hub is this far behind. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** A hub only ever answers auth; anything bigger is not one. */
const MAX_INBOUND_BYTES = 64 * 1024;

export interface PushOptions {
  url: string;
  serverId: string;
  intervalMs: number;
  sampler: Sampler;
  log: Logger;
  keepalive?: KeepaliveOptions;
  backoff?: BackoffPolicy;
}

export interface Pusher {
  close(): void;
}

export function startPush(options: PushOptions): Pusher {
  const { serverId, log } = options;
  const target = withoutCredentials(options.url);
  const token = new URL(options.url).searchParams.get('token') ?? '';
  const keepalive = new Keepalive(options.keepalive);
  let socket: WebSocket | undefined;
  let failures = 0;
  let stopped = false;
  /** After one failure is reported as a warning, repeats of it go to debug until a push works again. */
  let reportedFailure = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const send = (peer: WebSocket, message: unknown): void => {
    if (peer.readyState !== WebSocket.OPEN || peer.bufferedAmount > MAX_BUFFERED_BYTES) return;
    peer.send(JSON.stringify(message));
  };

  const pushMetrics = (peer: WebSocket): void => {
    options.sampler
      .snapshot({ disks: true, gpus: true })
      .then(({ host, sample }) => send(peer, encodeAgentMetrics(host, sample)))
      .catch((error: Error) => log.warn(`sampling for the push failed: ${error.message}`));
  };

  const connect = (): void => {
    retryTimer = undefined;
    const current = new WebSocket(options.url, { handshakeTimeout: 10_000, maxPayload: MAX_INBOUND_BYTES, perMessageDeflate: false });
    socket = current;
    let openedAtMs: number | undefined;
    let lastError: string | undefined;
    let metricsTimer: ReturnType<typeof setInterval> | undefined;
    let heartbeatTimer: ReturnType<typeof setInterval> | undefined;

    current.on('open', () => {
      openedAtMs = Date.now();
      keepalive.watch(current);
      send(current, encodeAgentAuth(serverId, token, PUSH_AGENT_VERSION));
      send(current, encodeHeartbeat(Date.now()));
      pushMetrics(current);
      metricsTimer = setInterval(() => pushMetrics(current), options.intervalMs);
      heartbeatTimer = setInterval(() => send(current, encodeHeartbeat(Date.now())), HEARTBEAT_INTERVAL_MS);
    });
    current.on('message', (data, isBinary) => {
      const reply = isBinary ? null : decodeAuthReply(data.toString());
      if (!reply) return;
      if (reply.ok) {
        failures = 0;
        if (reportedFailure) log.info(`pushing to ${target} as ${serverId} again`);
        reportedFailure = false;
        return;
      }
      lastError = `the hub refused the token${reply.message ? ` (${JSON.stringify(reply.message.slice(0, 200))})` : ''}`;
      current.close();
    });
    current.on('error', (error) => {
      lastError = error.message;
    });
    current.on('close', (code) => {
      clearInterval(metricsTimer);
      clearInterval(heartbeatTimer);
      if (socket === current) socket = undefined;
      if (stopped) return;
      if (openedAtMs !== undefined && Date.now() - openedAtMs >= STABLE_AFTER_MS) failures = 0;
      failures += 1;
      const delayMs = backoffDelayMs(failures, options.backoff);
      const line = `push to ${target}: ${lastError ?? `connection closed (code ${code})`}; retrying in ${Math.round(delayMs / 100) / 10} s`;
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
      keepalive.close();
      socket?.close(1001, 'agent stopping');
    },
  };
}
