// ServerControl server (`ping`): the WebSocket stream (8082), the HTTP API (8080) and the UDP discovery
// responder (8081, 2031), wired together. Each listener that cannot bind reports one line; the rest run.
// Remote commands stay off unless --allow-exec and --token are both given.

import type { Server } from 'node:http';
import type { Endpoint } from '../../proto/client';
import { STREAM_PROTOCOL_IDS } from '../../proto/protocols';
import { encodeServerResponse, type DiscoveryAnswerFacts } from '../../proto/servercontrol/discovery-wire';
import { encodeTaskComplete, encodeTaskOutput, encodeTaskStart } from '../../proto/servercontrol/wire';
import { tokenFlag } from '../cli/general-flags';
import { endpointUrl } from '../net/endpoint-url';
import { listenTcp } from '../net/listen';
import { startDiscoveryResponder, type DiscoveryResponder } from './servercontrol/discovery-responder';
import {
  allowExecFlag,
  cpuAlertCooldownFlag,
  cpuAlertThresholdFlag,
  disabledFlag,
  discoveryPortsFlag,
  discoveryRepliesFlag,
  httpPortFlag,
  ID,
  maxFrameFlag,
  SERVERCONTROL_FLAGS,
  wsPortFlag,
} from './servercontrol/flags';
import { createHttpApi } from './servercontrol/http-api';
import { createStream, STATS_INTERVAL_MS } from './servercontrol/stream';
import { TaskRunner } from './servercontrol/tasks';
import type { ListeningEndpoint, RunningServer, ServerContext, ServerModule } from './types';

async function start(context: ServerContext): Promise<RunningServer> {
  const { flags, host, sampler } = context;
  const log = context.log.child(ID);
  const failures: string[] = [];
  const endpoints: ListeningEndpoint[] = [];
  const connect: Endpoint[] = [];

  const token = flags.get(tokenFlag);
  const execOn = flags.get(allowExecFlag) && token !== undefined;
  if (flags.get(allowExecFlag) && token === undefined) {
    failures.push(`${ID}: --${allowExecFlag.name} needs --${tokenFlag.name} (the bearer token for /exec); remote command execution stays off`);
  }

  const thresholdPercent = flags.get(cpuAlertThresholdFlag);
  const stream = createStream({ sampler, log, limits: context.limits, maxFrameBytes: flags.get(maxFrameFlag), thresholdPercent, cooldownMs: flags.get(cpuAlertCooldownFlag) * 1000 });
  const tasks = new TaskRunner({
    started: (taskId, command) => stream.publish(encodeTaskStart(taskId, command)),
    output: (taskId, chunk, timeMs) => stream.publish(encodeTaskOutput(taskId, chunk, timeMs)),
    completed: (taskId, exitCode) => stream.publish(encodeTaskComplete(taskId, exitCode)),
  });
  const api = createHttpApi({ sampler, log, tasks, limits: context.limits, execToken: execOn ? token : undefined });

  const listen = async (server: Server, flag: typeof wsPortFlag, what: string): Promise<number | undefined> => {
    try {
      return await listenTcp(server, flags.get(flag), host, { owner: ID, what, flag });
    } catch (error) {
      failures.push((error as Error).message);
      return undefined;
    }
  };

  const wsPort = await listen(stream.server.http, wsPortFlag, 'WebSocket');
  if (wsPort !== undefined) {
    const url = endpointUrl('ws', host, wsPort, '/');
    endpoints.push({ owner: ID, kind: 'ws', role: 'stream', host, port: wsPort, url, open: true });
    connect.push({ protocol: ID, url });
    log.info(`listening on ${url} (stats_update every ${STATS_INTERVAL_MS / 1000} s, cpu_alert above ${thresholdPercent}%)`);
  }
  const httpPort = await listen(api, httpPortFlag, 'HTTP');
  if (httpPort !== undefined) {
    const url = endpointUrl('http', host, httpPort, '/');
    endpoints.push({ owner: ID, kind: 'http', role: 'api', host, port: httpPort, url, open: true });
    log.info(`HTTP API on ${url}; /exec is ${execOn ? 'on (bearer token required)' : 'off'}`);
  }

  let responder: DiscoveryResponder | undefined;
  if (wsPort !== undefined) {
    responder = await startDiscoveryResponder({
      owner: ID,
      host,
      ports: flags.get(discoveryPortsFlag),
      flag: discoveryPortsFlag,
      maxRepliesPerSecond: flags.get(discoveryRepliesFlag),
      log,
      answer: async (discoveryPort) => {
        // An answer during start-up must still name every protocol, not just those listening so far.
        await context.allStarted;
        const { hostname } = await sampler.hostInfo();
        return encodeServerResponse({ hostname, httpPort, wsPort, discoveryPort, otherPorts: otherProtocolPorts(context.endpoints()) });
      },
    });
    endpoints.push(...responder.endpoints);
    failures.push(...responder.failures);
  }

  return {
    endpoints,
    failures,
    connect,
    close: async () => {
      await tasks.closeAll();
      await Promise.all([stream.close(), closeHttp(api), responder?.close()]);
    },
  };
}

/** The plain WebSocket port of each other protocol that is running, for discovery's extra keys. */
function otherProtocolPorts(endpoints: readonly ListeningEndpoint[]): DiscoveryAnswerFacts['otherPorts'] {
  const ports: DiscoveryAnswerFacts['otherPorts'] = {};
  for (const id of STREAM_PROTOCOL_IDS) {
    const port = endpoints.find((endpoint) => endpoint.owner === id && endpoint.kind === 'ws')?.port;
    if (port !== undefined && id !== ID) ports[id] = port;
  }
  return ports;
}

function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

export const servercontrolServer: ServerModule = { id: ID, flags: SERVERCONTROL_FLAGS, disabled: disabledFlag, start };
