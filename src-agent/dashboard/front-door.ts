// The HTTP front door of the hub's dashboard: loopback only, the
// Host allow-list on every request, the same-origin check on every request that changes something, the
// token on every /api/ path (Bearer header or the HttpOnly cookie), `/?token=` traded for that cookie, and
// the built renderer for everything else. What an API path does is the owner's.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import type { AgentLimits } from '../net/limits';
import { guardServer } from '../net/guard';
import { listenTcp, type PortOwner } from '../net/listen';
import { http } from '../net/node-http';
import { secretsMatch } from '../net/secret-match';
import { requestUrl } from '../net/ws-server';
import { writeJson } from './api';
import { checkHost, checkOrigin, checkToken, tokenCookie } from './http-guard';
import { serveStatic, sendText } from './static-files';

export const LOOPBACK = '127.0.0.1';

export interface FrontDoorOptions {
  /** The built renderer. */
  root: string;
  token: string;
  log: Logger;
  limits: AgentLimits;
  /** Called for /api/ paths once the token checks out. */
  api(request: IncomingMessage, response: ServerResponse, url: URL): void;
  /** Paths answered without the token: facts any page may read before it has one. */
  open?: Record<string, () => unknown>;
}

export interface FrontDoor {
  listen(port: number, owner: PortOwner): Promise<number>;
  close(): Promise<void>;
}

export function openFrontDoor(options: FrontDoorOptions): FrontDoor {
  const { log, token } = options;
  let port = 0;
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const url = requestUrl(request);
    const refusal = checkHost(request.headers, port) ?? (request.method !== 'GET' && request.method !== 'HEAD' ? checkOrigin(request.headers, port) : null);
    if (refusal) {
      log.debug(`refused ${request.method} ${url.pathname}: ${refusal.error}`);
      return url.pathname.startsWith('/api/') ? writeJson(response, refusal.status, { error: refusal.error }) : sendText(response, refusal.status, refusal.error);
    }
    const open = options.open?.[url.pathname];
    if (open && request.method === 'GET') return writeJson(response, 200, open());
    if (url.pathname.startsWith('/api/')) {
      const unauthorized = checkToken(request.headers, token, port);
      if (unauthorized) return writeJson(response, unauthorized.status, { error: unauthorized.error }, { 'WWW-Authenticate': 'Bearer' });
      return options.api(request, response, url);
    }
    if (request.method === 'GET' && secretsMatch(url.searchParams.get('token'), token)) {
      // The token leaves the address bar (history, bookmarks, a shared screen) for a cookie no script can read.
      url.searchParams.delete('token');
      response.writeHead(303, { Location: url.pathname + url.search, 'Set-Cookie': tokenCookie(port, token), 'Cache-Control': 'no-store' });
      return void response.end();
    }
    serveStatic(options.root, request, response, url.pathname).catch((error: Error) => {
      log.warn(`serving ${url.pathname}: ${error.message}`);
      if (!response.headersSent) sendText(response, 500, 'Could not read the dashboard files; see the log.');
    });
  };
  const server: Server = http.createServer();
  // Its own Host and Origin policy (loopback names only) is stricter than the agent's shared one; the
  // connection limits and handshake timeout are the agent's.
  guardServer(server, onRequest, options.limits, log);
  server.on('clientError', (_error, socket) => socket.destroy());
  return {
    async listen(wanted, owner) {
      port = await listenTcp(server, wanted, LOOPBACK, owner);
      return port;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        if (!server.listening) resolve();
      }),
  };
}
