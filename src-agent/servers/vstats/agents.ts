// The agent side of the vStats hub (/ws/agent). An agent is authenticated by its query token (checked before
// the upgrade) or by the real agents' first message `auth`, answered with `last_seen`; before that, anything
// else closes the socket. Afterwards `metrics` are relayed through the hub, and so are backfills after an
// outage (`aggregated_metrics`, `batch_metrics` answered with `batch_ack`), which may be as large as
// --vstats-max-backfill-bytes once the agent is authenticated. Everything else is ignored. Never logs a token.

import type { WebSocket } from 'ws';
import { decodeAgentFrame } from '../../../proto/vstats/decode';
import { encodeAuthReply, encodeBatchAck } from '../../../proto/vstats/wire';
import { GatedWebSocket } from '../../net/gated-websocket';
import type { Logger } from '../../log';
import { sendBounded } from '../../net/bounded-send';
import type { AgentLink, Hub } from './hub';
import { secretsMatch } from '../../net/secret-match';

/** An agent that has not authenticated by then is closed. */
export const AUTH_TIMEOUT_MS = 10_000;

/** Server ids are hostnames or UUIDs on real hubs; anything else is refused rather than shown or logged. */
const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

/** WebSocket close code for a policy violation (bad token, wrong first message). */
const POLICY_VIOLATION = 1008;
/** WebSocket close code "try again later". */
const TRY_AGAIN_LATER = 1013;

export interface AgentSideOptions {
  hub: Hub;
  token: string;
  log: Logger;
  /** What an agent may send before it authenticates, and after. */
  maxFrameBytes: number;
  maxBackfillBytes: number;
  now?: () => number;
  authTimeoutMs?: number;
}

export function attachAgent(socket: WebSocket, url: URL, options: AgentSideOptions): void {
  const { hub, log } = options;
  const now = options.now ?? Date.now;
  // A wrong query token never reaches here: it is refused with 401 before the upgrade.
  let authenticated = url.searchParams.has('token');
  /** The id named by the auth message; without one, the first metrics' hostname. */
  let announcedId: string | undefined;
  let boundId: string | undefined;
  const link: AgentLink = { close: (code, reason) => socket.close(code, reason) };
  const authTimer = authenticated ? undefined : setTimeout(() => refuse('authentication timed out'), options.authTimeoutMs ?? AUTH_TIMEOUT_MS);
  const gated = socket instanceof GatedWebSocket ? socket : undefined;
  const trust = (): void => {
    gated?.raiseMaxPayload(options.maxBackfillBytes);
    if (gated) gated.oversizeReason = `message over ${options.maxBackfillBytes} bytes (--vstats-max-backfill-bytes)`;
  };
  if (gated) gated.oversizeReason = `message over ${options.maxFrameBytes} bytes before auth (--vstats-max-frame-bytes)`;
  if (authenticated) trust();

  function refuse(reason: string, code = POLICY_VIOLATION): void {
    log.debug(`closing an agent connection: ${reason}`);
    socket.close(code, reason);
  }

  function replyError(message: string): void {
    sendBounded(socket, JSON.stringify(encodeAuthReply(false, message)));
    refuse(message);
  }

  function bind(id: string): boolean {
    if (boundId === id) return true;
    if (boundId !== undefined) {
      refuse(`server id changed from ${boundId} to another on one connection`);
      return false;
    }
    if (!SERVER_ID.test(id)) {
      replyError('Invalid server_id');
      return false;
    }
    if (hub.claim(id, link) === 'reserved') {
      replyError('server_id is the hub itself');
      return false;
    }
    boundId = id;
    log.info(`agent ${id} connected`);
    return true;
  }

  socket.on('message', (data, isBinary) => {
    const frame = isBinary ? null : decodeAgentFrame(data.toString(), now());
    if (frame?.kind === 'auth') {
      if (!secretsMatch(frame.token, options.token)) return replyError('Invalid token');
      if (!bind(frame.serverId)) return;
      announcedId = frame.serverId;
      authenticated = true;
      clearTimeout(authTimer);
      trust();
      sendBounded(socket, JSON.stringify(encodeAuthReply(true, undefined, hub.lastSeenMs(frame.serverId), hub.lastBuckets(frame.serverId))));
      return;
    }
    if (!authenticated) return refuse('the first message was not auth');
    if (frame?.kind === 'metrics') {
      const id = announcedId ?? boundId ?? frame.host.hostname;
      if (id === undefined) return log.debug('ignored metrics without a server id or hostname');
      if (!bind(id)) return;
      if (hub.agentMetrics(id, frame.host, frame.sample) === 'full') refuse('the hub relays as many agents as it can', TRY_AGAIN_LATER);
      return;
    }
    if (frame?.kind === 'backfill') {
      const id = announcedId ?? boundId;
      if (id === undefined) return log.debug('ignored a backfill before the agent named its server id');
      if (hub.agentBackfill(id, frame.readings) === 'full') return refuse('the hub relays as many agents as it can', TRY_AGAIN_LATER);
      log.debug(`agent ${id} backfilled ${frame.readings.length} readings`);
      if (frame.batchId !== undefined) sendBounded(socket, JSON.stringify(encodeBatchAck(frame.batchId, frame.readings.length, 0)));
      return;
    }
    if (frame?.kind !== 'heartbeat') log.debug(`ignored an agent frame: ${frame ? `unknown type ${JSON.stringify(frame.type.slice(0, 64))}` : 'not a vStats message'}`);
  });

  socket.on('error', (error: Error & { code?: string }) => {
    if (error.code !== 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' || !authenticated || boundId === undefined) return;
    // A real agent would reconnect and send the same backfill again, for ever: its next auth says it is up to date.
    hub.skipBackfill(boundId);
    log.warn(`agent ${boundId} sent a message over ${options.maxBackfillBytes} bytes (a backfill after an outage) and was closed; its gap stays empty. Raise --vstats-max-backfill-bytes to take backfills that large.`);
  });

  socket.on('close', () => {
    clearTimeout(authTimer);
    if (boundId === undefined) return;
    hub.release(boundId, link);
    log.info(`agent ${boundId} disconnected`);
  });
}
