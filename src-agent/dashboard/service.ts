// The agent's web dashboard: the built renderer and its JSON API on http://127.0.0.1:<port>/, behind the
// front door (front-door.ts): loopback whatever --host says, because the API hands out every protocol's
// credentials, and the token always (--token, or one generated per start, as Jupyter does).

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenFlag } from '../cli/general-flags';
import { DiscoveryService } from '../discovery/service';
import { defaultDiscoveryTargets } from '../discovery/targets';
import { endpointUrl } from '../net/endpoint-url';
import type { AgentService, RunningServer, ServerContext } from '../servers/types';
import { createDashboardApi } from './api';
import { DASHBOARD_FLAGS, dashboardPortFlag, dashboardScanPortsFlag, ID, noDashboardFlag } from './flags';
import { LOOPBACK, openFrontDoor } from './front-door';

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
    const door = openFrontDoor({ root, token, log, limits: context.limits, api: (request, response, url) => api.handle(request, response, url.pathname) });
    const close = async (): Promise<void> => {
      api.close();
      await door.close();
    };

    try {
      const port = await door.listen(context.flags.get(dashboardPortFlag), { owner: ID, what: 'HTTP', flag: dashboardPortFlag });
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
