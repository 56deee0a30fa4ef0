// The agent's Prometheus endpoint: GET /metrics on its own port, bound like the protocol servers so a
// Prometheus on the LAN can scrape an agent started with --host 0.0.0.0. Read-only; nothing else answers.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { portFlag, switchFlag } from '../cli/flags';
import { endpointUrl } from '../net/endpoint-url';
import { checkRequestOrigin, guardServer } from '../net/guard';
import { listenTcp } from '../net/listen';
import { http } from '../net/node-http';
import { writeJson } from '../net/write-json';
import type { AgentService, RunningServer, ServerContext } from '../servers/types';
import type { Registry } from 'prom-client';

const ID = 'metrics';
const port = portFlag({ name: 'metrics-port', group: ID, help: 'Prometheus /metrics port (node_exporter and DCGM metric names)', defaultValue: 9464 });
const disabled = switchFlag({ name: 'no-metrics', group: ID, help: 'Do not serve Prometheus /metrics' });
// Off by default: the event-loop monitor wakes the process every 10 ms, which idle agents should not pay for.
const selfMetrics = switchFlag({
  name: 'metrics-self',
  group: ID,
  help: "Also export the agent's own process metrics (CPU, memory, event-loop delay) as fleetwatch_agent_*",
});

async function start(context: ServerContext): Promise<RunningServer> {
  const log = context.log.child(ID);
  // prom-client is loaded at the first scrape: an agent nobody scrapes should not carry it in memory.
  let registry: Promise<Registry> | undefined;
  const loadRegistry = (): Promise<Registry> =>
    (registry ??= import('./prometheus-registry').then(({ createPrometheusRegistry }) => createPrometheusRegistry(context.sampler, context.flags.get(selfMetrics))));
  // The event-loop monitor must run from the start to measure anything.
  if (context.flags.get(selfMetrics)) await loadRegistry();
  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const foreign = checkRequestOrigin(request, context.limits);
    if (foreign) return writeJson(response, foreign.status, { error: foreign.body });
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') return writeJson(response, 404, { error: 'Not found: this port serves only GET /metrics' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return writeJson(response, 405, { error: 'Use GET /metrics' });
    }
    loadRegistry()
      .then(async (loaded) => ({ text: await loaded.metrics(), contentType: loaded.contentType }))
      .then(
        ({ text, contentType }) => {
          response.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
          response.end(request.method === 'HEAD' ? undefined : text);
        },
        (error: Error) => {
          log.warn(`scrape failed: ${error.message}`);
          writeJson(response, 500, { error: "Could not read this machine's metrics; see the agent log." });
        },
      );
  };
  const server = http.createServer();
  guardServer(server, onRequest, context.limits, log);
  server.on('clientError', (_error, socket) => socket.destroy());
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      if (!server.listening) resolve();
    });
  try {
    const actualPort = await listenTcp(server, context.flags.get(port), context.host, { owner: ID, what: 'HTTP', flag: port });
    const url = endpointUrl('http', context.host, actualPort, '/metrics');
    log.info(`Prometheus metrics at ${url}`);
    return { endpoints: [{ owner: ID, kind: 'http', role: 'scrape', host: context.host, port: actualPort, url, open: true }], failures: [], close };
  } catch (error) {
    await close();
    return { endpoints: [], failures: [(error as Error).message], close: async () => {} };
  }
}

export const metricsService: AgentService = { id: ID, title: 'Prometheus metrics', flags: [port, disabled, selfMetrics], disabled, start };
