// Guards every TCP listener of the agent: connections are admitted against the shared limits, a
// connection that has not sent its request or upgrade within the handshake timeout is dropped, requests
// over their address's rate are answered 429 before any handler sees them, and requests with a foreign
// Host or Origin are refused.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../log';
import { isAllowedHost, isAllowedOrigin } from './host-check';
import type { AgentLimits } from './limits';
import { refuseOverRate } from './request-rate';
import type { Rejection } from './ws-server';

const handshakeTimers = new WeakMap<Socket, ReturnType<typeof setTimeout>>();

/** Marks a connection as past its handshake (it sent a request, or upgraded). */
export function handshakeDone(socket: Socket): void {
  clearTimeout(handshakeTimers.get(socket));
  handshakeTimers.delete(socket);
}

/** Every HTTP listener's limits, and its one request handler, which runs only for requests within the rate. */
export function guardServer(server: Server, onRequest: (request: IncomingMessage, response: ServerResponse) => void, limits: AgentLimits, log: Logger): void {
  const startHandshakeTimer = (socket: Socket): void => {
    handshakeTimers.set(
      socket,
      setTimeout(() => {
        log.debug(`dropped a connection from ${socket.remoteAddress ?? 'unknown'} that sent nothing within the handshake timeout`);
        socket.destroy();
      }, limits.handshakeTimeoutMs),
    );
  };
  // Over TLS the request arrives on the TLS socket; the TLS handshake itself is bounded by the server's
  // handshakeTimeout option.
  // Not `instanceof`: that would load node:tls into every agent, TLS listener or not.
  const isTls = 'setSecureContext' in server;
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const verdict = limits.connections.admit(address);
    if (verdict !== 'ok') {
      log.debug(`refused a connection from ${address}: ${verdict === 'total' ? 'too many connections' : 'too many connections from that address'}`);
      socket.destroy();
      return;
    }
    socket.once('close', () => limits.connections.release(address));
    if (!isTls) startHandshakeTimer(socket);
  });
  if (isTls) server.on('secureConnection', startHandshakeTimer);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handshakeDone(request.socket);
    if (refuseOverRate(request, response, limits.requests, log)) return;
    onRequest(request, response);
  });
  // Requests on a kept-alive connection still need an answer in reasonable time.
  server.requestTimeout = limits.handshakeTimeoutMs;
  server.headersTimeout = Math.min(server.headersTimeout, limits.handshakeTimeoutMs);
}

/** Host and Origin checks against DNS rebinding and cross-site pages; null when the request may proceed. */
export function checkRequestOrigin(request: IncomingMessage, limits: AgentLimits): Rejection | null {
  if (!isAllowedHost(request.headers.host, limits.hosts)) {
    return { status: 421, body: 'This agent does not answer to that host name; add it with --allowed-hosts if it is yours.' };
  }
  if (!isAllowedOrigin(request.headers.origin, limits.hosts)) return { status: 403, body: 'Requests from that web origin are not allowed.' };
  return null;
}
