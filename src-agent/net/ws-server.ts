// An HTTP server that upgrades to WebSocket, with the checks that must happen before the upgrade
// (path, token or secret: a refused client gets a plain HTTP status, never an open socket) and a
// per-socket error handler so one bad client cannot take the process down. ws itself, and whatever the
// protocol's connections need (`load`), are loaded at the first client: an agent serving five protocols
// pays memory only for those someone reads (bench: idle RSS).

import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Server as WebSocketServerOf, WebSocket } from 'ws';
import type { Logger } from '../log';
import { assignBackpressure } from './bounded-send';
import type { GatedWebSocket } from './gated-websocket';
import { checkRequestOrigin, guardServer, handshakeDone } from './guard';
import type { AgentLimits } from './limits';
import { http, https } from './node-http';
import { RateLimiter } from './rate-limiter';
import { writeJson } from './write-json';

/** How long clients get to answer the 1001 close at shutdown before their sockets are cut. */
export const CLOSE_HANDSHAKE_MS = 500;

export interface Rejection {
  status: number;
  body: string;
}

export interface WsServerOptions {
  log: Logger;
  limits: AgentLimits;
  /** Inbound frames larger than this close the socket with 1009. */
  maxPayloadBytes: number;
  /** Paths that upgrade; absent means any path (real GPU and ServerControl servers ignore it). */
  paths?: readonly string[];
  /** Decides before the upgrade; a rejection is answered with plain HTTP. */
  authorize?(request: IncomingMessage, url: URL): Rejection | null;
  /**
   * Loads what onConnection and onRequest need (a protocol's codec and session code); awaited once, before
   * the first upgrade or request is handled, so neither ever runs without it.
   */
  load?(): Promise<unknown>;
  onConnection(socket: WebSocket, request: IncomingMessage, url: URL): void;
  /** Serve TLS (wss://) with this certificate. */
  tls?: { cert: string; key: string };
  /** Plain HTTP requests; absent means 426 Upgrade Required. */
  onRequest?(request: IncomingMessage, response: ServerResponse, url: URL): void;
}

export interface WsServer {
  http: HttpServer | HttpsServer;
  /** Open WebSocket clients. */
  clientCount(): number;
  close(): Promise<void>;
}

export function requestUrl(request: IncomingMessage): URL {
  try {
    return new URL(request.url ?? '/', 'http://agent.invalid');
  } catch {
    return new URL('http://agent.invalid/');
  }
}

export function createWsServer(options: WsServerOptions): WsServer {
  const { limits, log } = options;
  let wss: WebSocketServerOf<typeof GatedWebSocket> | undefined;
  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (loading ??= Promise.all([import('ws'), import('./gated-websocket'), options.load?.()]).then(([{ WebSocketServer }, { GatedWebSocket }]) => {
      wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes, perMessageDeflate: false, WebSocket: GatedWebSocket });
    }));
  const onHttpRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const refused = checkRequestOrigin(request, limits);
    if (refused) return writeJson(response, refused.status, { error: refused.body });
    const url = requestUrl(request);
    const onRequest = options.onRequest;
    if (onRequest) return void ready().then(() => onRequest(request, response, url), (error: Error) => writeJson(response, 500, { error: `The agent could not load this endpoint: ${error.message}` }));
    writeJson(response, 426, { error: 'This endpoint speaks WebSocket; connect with a WebSocket client.' });
  };
  const server = options.tls
    ? https().createServer({ ...options.tls, handshakeTimeout: limits.handshakeTimeoutMs })
    : http.createServer();
  guardServer(server, onHttpRequest, limits, log);

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.debug(`upgrade socket error: ${error.message}`));
    handshakeDone(request.socket);
    const url = requestUrl(request);
    if (options.paths && !options.paths.includes(url.pathname)) return reject(socket, { status: 404, body: `No WebSocket endpoint at ${url.pathname}` });
    const rejection = checkRequestOrigin(request, limits) ?? options.authorize?.(request, url) ?? null;
    if (rejection) return reject(socket, rejection);
    ready().then(
      () => upgrade(request, socket, head, url),
      (error: Error) => {
        log.warn(`could not load what a connection needs: ${error.message}`);
        reject(socket, { status: 500, body: 'The agent could not load this endpoint' });
      },
    );
  });
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer, url: URL): void => {
    wss!.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', (error) => log.debug(`client error: ${error.message}`));
      assignBackpressure(ws, limits.backpressure);
      const rate = new RateLimiter(limits.maxMessagesPerSecond, limits.maxMessagesPerSecond * 2);
      ws.admitMessage = () => {
        if (rate.take()) return true;
        log.debug(`closed a client that sent more than ${limits.maxMessagesPerSecond} messages per second`);
        ws.close(1008, 'Too many messages');
        return false;
      };
      options.onConnection(ws, request, url);
    });
  };
  server.on('clientError', (error, socket) => {
    options.log.debug(`bad HTTP request: ${error.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    http: server,
    clientCount: () => wss?.clients.size ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        const clients = wss?.clients ?? new Set<GatedWebSocket>();
        for (const client of clients) client.close(1001, 'Agent shutting down');
        // A client that does not read never completes the closing handshake; shutdown must stay fast.
        const cutOff = setTimeout(() => {
          for (const client of clients) client.terminate();
        }, CLOSE_HANDSHAKE_MS);
        wss?.close();
        server.closeAllConnections();
        server.close(() => {
          clearTimeout(cutOff);
          resolve();
        });
        if (!server.listening) resolve();
      }),
  };
}

function reject(socket: Duplex, rejection: Rejection): void {
  const reason = http.STATUS_CODES[rejection.status] ?? 'Error';
  const body = Buffer.from(rejection.body);
  socket.end(
    `HTTP/1.1 ${rejection.status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body.toString()}`,
  );
}

