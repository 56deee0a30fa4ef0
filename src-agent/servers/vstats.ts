// vStats hub server (`vstats`): dashboards on /ws get this machine as one server plus every agent that pushes
// to /ws/agent, as documented envelopes; with --vstats-push this agent also pushes itself to another hub.
// Wiring only: the state, both sides, liveness and the push client live in ./vstats/.

import { AGENT_PATH, DASHBOARD_PATH } from '../../proto/vstats/wire';
import { endpointUrl } from '../net/endpoint-url';
import { listenTcp } from '../net/listen';
import { createWsServer } from '../net/ws-server';
import { Dashboards } from './vstats/dashboards';
import { ID, VSTATS_FLAGS, vstatsDisabled, vstatsInterval, vstatsMaxBackfill, vstatsMaxFrame, vstatsOfflineAfter, vstatsPort, vstatsPush, vstatsServerId, vstatsToken } from './vstats/flags';
import { Hub } from './vstats/hub';
import { Keepalive } from './vstats/keepalive';
import type * as AgentsModule from './vstats/agents';
import type { Pusher } from './vstats/push-client';
import { secretsMatch } from '../net/secret-match';
import { resolveAgentToken } from './vstats/token';
import type { RunningServer, ServerContext, ServerModule } from './types';
import { withoutCredentials } from '../../proto/target';

/** An agent that has pushed nothing for this many offline-after periods is removed from dashboards. */
export const REMOVE_AFTER_OFFLINE_PERIODS = 10;
export const MAX_RELAYED_AGENTS = 1000;

async function start(context: ServerContext): Promise<RunningServer> {
  const log = context.log.child(ID);
  const { flags, sampler } = context;
  const intervalMs = flags.get(vstatsInterval) * 1000;
  const offlineAfterMs = flags.get(vstatsOfflineAfter) * 1000;
  const agentToken = resolveAgentToken(flags.get(vstatsToken), context.dataDir);
  // A dashboard must see this machine's metrics at once, so the hub starts with a snapshot in hand.
  const first = await sampler.snapshot({ disks: true });

  const dashboards = new Dashboards();
  const hub = new Hub({
    local: first,
    offlineAfterMs,
    removeAfterMs: REMOVE_AFTER_OFFLINE_PERIODS * offlineAfterMs,
    maxAgents: MAX_RELAYED_AGENTS,
    publish: (frame) => dashboards.publish(frame),
    publishAll: (frames) => dashboards.publishAll(frames),
  });

  let refreshing = false;
  const refreshLocal = (): void => {
    if (refreshing) return;
    refreshing = true;
    // GPUs too, as the relay and the push client carry them; only here, once a dashboard watches, so the
    // first snapshot at start never runs nvidia-smi.
    sampler
      .snapshot({ disks: true, gpus: true })
      .then((snapshot) => hub.setLocal(snapshot))
      .catch((error: Error) => log.warn(`sampling failed: ${error.message}`))
      .finally(() => {
        refreshing = false;
      });
  };
  // Nobody watching means no `df` every interval.
  const ticker = setInterval(() => {
    if (dashboards.size > 0) refreshLocal();
  }, intervalMs);
  const sweeper = setInterval(() => hub.sweep(), Math.min(1000, offlineAfterMs / 4));
  const keepalive = new Keepalive();
  // An agent's frames are decoded with zod; loaded with the first connection of either kind.
  let agents: typeof AgentsModule | undefined;

  const server = createWsServer({
    log,
    limits: context.limits,
    maxPayloadBytes: context.flags.get(vstatsMaxFrame),
    paths: [DASHBOARD_PATH, AGENT_PATH],
    authorize(_request, url) {
      const token = url.searchParams.get('token');
      if (url.pathname !== AGENT_PATH || token === null || secretsMatch(token, agentToken.token)) return null;
      log.debug('refused an agent with a wrong token');
      return { status: 401, body: 'Invalid token' };
    },
    load: async () => (agents ??= await import('./vstats/agents')),
    onConnection(socket, _request, url) {
      keepalive.watch(socket);
      if (url.pathname === AGENT_PATH) {
        return agents!.attachAgent(socket, url, { hub, token: agentToken.token, log, maxFrameBytes: flags.get(vstatsMaxFrame), maxBackfillBytes: flags.get(vstatsMaxBackfill) });
      }
      dashboards.attach(socket, hub.snapshotFrames(), hub.recentBackfills());
      if (hub.localAgeMs() >= intervalMs) refreshLocal();
    },
  });

  const pushUrl = flags.get(vstatsPush);
  const serverId = flags.get(vstatsServerId) ?? first.host.hostname;
  let pusher: Pusher | undefined;

  const close = async (): Promise<void> => {
    clearInterval(ticker);
    clearInterval(sweeper);
    keepalive.close();
    pusher?.close();
    await server.close();
  };

  try {
    const actualPort = await listenTcp(server.http, flags.get(vstatsPort), context.host, { owner: ID, what: 'WebSocket', flag: vstatsPort });
    const dashboardUrl = endpointUrl('ws', context.host, actualPort, DASHBOARD_PATH);
    const agentUrl = endpointUrl('ws', context.host, actualPort, AGENT_PATH);
    log.info(`listening on ${dashboardUrl} (dashboards, metrics every ${intervalMs / 1000} s) and ${agentUrl} (agents)`);
    const notices: string[] = [];
    if (agentToken.file) notices.push(`vstats: agents pushing to ${agentUrl} authenticate with the token kept in ${agentToken.file}`);
    if (pushUrl) {
      pusher = (await import('./vstats/push-client')).startPush({ url: pushUrl, serverId, intervalMs, sampler, log: log.child('push'), dataDir: context.dataDir });
      notices.push(`vstats: pushing this machine as ${serverId} to ${withoutCredentials(pushUrl)}`);
    }
    return {
      endpoints: [
        { owner: ID, kind: 'ws', role: 'dashboards', host: context.host, port: actualPort, url: dashboardUrl, open: true },
        { owner: ID, kind: 'ws', role: 'agents', host: context.host, port: actualPort, url: agentUrl, open: false },
      ],
      connect: [{ protocol: ID, url: dashboardUrl }],
      failures: [],
      notices,
      close,
    };
  } catch (error) {
    await close();
    return { endpoints: [], failures: [(error as Error).message], close: async () => {} };
  }
}

export const vstatsServer: ServerModule = { id: ID, flags: VSTATS_FLAGS, disabled: vstatsDisabled, start };
