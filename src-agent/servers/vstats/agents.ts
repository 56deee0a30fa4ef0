// The agent side of the vStats hub (/ws/agent). An agent is authenticated by its query token (checked before
// the upgrade) or by the real agents' first message `auth`; before that, anything else closes the socket.
// Afterwards `metrics` are relayed through the hub and everything else is ignored. Never logs a token.

import type { WebSocket } from 'ws';
import { decodeAgentFrame } from '../../../proto/vstats/decode';
import { encodeAuthReply } from '../../../proto/vstats/wire';
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
      sendBounded(socket, JSON.stringify(encodeAuthReply(true)));
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
    if (frame?.kind !== 'heartbeat') log.debug(`ignored an agent frame: ${frame ? `unknown type ${JSON.stringify(frame.type.slice(0, 64))}` : 'not a vStats message'}`);
  });

  socket.on('close', () => {
    clearTimeout(authTimer);
    if (boundId === undefined) return;
    hub.release(boundId, link);
    log.info(`agent ${boundId} disconnected`);
  });
}
