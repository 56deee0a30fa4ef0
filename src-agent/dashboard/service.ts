// The agent's web dashboard: the built renderer and its JSON API on http://127.0.0.1:<port>/. It binds
// loopback whatever --host says, because the API hands out every protocol's credentials; every request
// passes the Host allow-list, POSTs the same-origin check, and the API always wants the token (--token, or
// one generated per start, as Jupyter does): opening `/?token=<token>` trades it for an HttpOnly cookie.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenFlag } from '../cli/general-flags';
import { DiscoveryService } from '../discovery/service';
import { defaultDiscoveryTargets } from '../discovery/targets';
import { endpointUrl } from '../net/endpoint-url';
import { guardServer } from '../net/guard';
import { secretsMatch } from '../net/secret-match';
import { listenTcp } from '../net/listen';
import { http } from '../net/node-http';
import { requestUrl } from '../net/ws-server';
import type { AgentService, RunningServer, ServerContext } from '../servers/types';
import { createDashboardApi, writeJson } from './api';
import { DASHBOARD_FLAGS, dashboardPortFlag, dashboardScanPortsFlag, ID, noDashboardFlag } from './flags';
import { checkHost, checkOrigin, checkToken, tokenCookie } from './http-guard';
import { serveStatic, sendText } from './static-files';

const LOOPBACK = '127.0.0.1';

export interface DashboardOptions {
  /** The built renderer; defaults to out/renderer beside the built agent (out/agent or out/chunks). */
  rendererDir?: string;
  /** Discovery scan rounds and listening time, shortened by tests. */
  scanRounds?: number;
  scanRoundMs?: number;
}

export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
}

export function createDashboardService(options: DashboardOptions = {}): AgentService {
  const start = async (context: ServerContext): Promise<RunningServer> => {
    const log = context.log.child(ID);
    const root = path.resolve(options.rendererDir ?? defaultRendererDir());
    const givenToken = context.flags.get(tokenFlag);
    const token = givenToken ?? randomBytes(24).toString('base64url');
    const discovery = new DiscoveryService({
      targets: () => defaultDiscoveryTargets(),
      ports: context.flags.get(dashboardScanPortsFlag),
      ...(options.scanRounds !== undefined ? { rounds: options.scanRounds } : {}),
      ...(options.scanRoundMs !== undefined ? { roundMs: options.scanRoundMs } : {}),
    });
    const api = createDashboardApi({
      agent: { connect: () => context.connectEndpoints(), listening: () => context.endpoints(), failures: () => [...context.failures()] },
      discovery,
    });
    let port = 0;

    const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
      const url = requestUrl(request);
      const refusal = checkHost(request.headers, port) ?? (request.method === 'POST' ? checkOrigin(request.headers, port) : null);
      if (refusal) {
        log.debug(`refused ${request.method} ${url.pathname}: ${refusal.error}`);
        return url.pathname.startsWith('/api/') ? writeJson(response, refusal.status, { error: refusal.error }) : sendText(response, refusal.status, refusal.error);
      }
      if (url.pathname.startsWith('/api/')) {
        const unauthorized = checkToken(request.headers, token, port);
        if (unauthorized) return writeJson(response, unauthorized.status, { error: unauthorized.error }, { 'WWW-Authenticate': 'Bearer' });
        return api.handle(request, response, url.pathname);
      }
      if (request.method === 'GET' && secretsMatch(url.searchParams.get('token'), token)) {
        // The token leaves the address bar (history, bookmarks, a shared screen) for a cookie no script can read.
        url.searchParams.delete('token');
        response.writeHead(303, { Location: url.pathname + url.search, 'Set-Cookie': tokenCookie(port, token), 'Cache-Control': 'no-store' });
        return void response.end();
      }
      serveStatic(root, request, response, url.pathname).catch((error: Error) => {
        log.warn(`serving ${url.pathname}: ${error.message}`);
        if (!response.headersSent) sendText(response, 500, 'Could not read the dashboard files; see the agent log.');
      });
    };
    const server = http.createServer();
    // Its own Host and Origin policy (loopback names only) is stricter than the shared one; the connection
    // limits and handshake timeout are the agent's.
    guardServer(server, onRequest, context.limits, log);
    server.on('clientError', (_error, socket) => socket.destroy());

    const close = (): Promise<void> =>
      new Promise((resolve) => {
        api.close();
        server.closeAllConnections();
        server.close(() => resolve());
        if (!server.listening) resolve();
      });

    try {
      port = await listenTcp(server, context.flags.get(dashboardPortFlag), LOOPBACK, { owner: ID, what: 'HTTP', flag: dashboardPortFlag });
      const url = endpointUrl('http', LOOPBACK, port, '/');
      const openInBrowser = `${url}?token=${encodeURIComponent(token)}`;
      const notice = givenToken
        ? `web dashboard at ${url} (open it once as ${url}?token=<the --token value>)`
        : `web dashboard at ${url} (its token is new each start and printed only to a terminal and the --json report; --token chooses one)`;
      return {
        endpoints: [{ owner: ID, kind: 'http', role: 'dashboard', host: LOOPBACK, port, url, open: false }],
        failures: [],
        notices: [notice],
        terminalNotices: [givenToken ? notice : `web dashboard at ${openInBrowser}`],
        openInBrowser,
        close,
      };
    } catch (error) {
      await close();
      return { endpoints: [], failures: [(error as Error).message], close: async () => {} };
    }
  };
  return { id: ID, title: 'Web dashboard', flags: DASHBOARD_FLAGS, disabled: noDashboardFlag, start };
}

export const dashboardService = createDashboardService();
