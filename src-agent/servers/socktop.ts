// socktop agent server (`protobuf`) on `/ws`: one reply per request, in order, never anything unprompted.
// An optional token is checked before the upgrade (HTTP 401). The connection handling is kept apart from
// the listener so a TLS listener can serve the same sockets later.

import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { PROTOCOLS } from '../../proto/protocols';
import { protocolFlags, stringFlag } from '../cli/flags';
import { endpointUrl } from '../net/endpoint-url';
import { listenTcp } from '../net/listen';
import { createWsServer, type Rejection } from '../net/ws-server';
import type { Logger } from '../log';
import type { Sampler } from '../sampler/sampler';
import { serveClientSocket } from './socktop/client-socket';
import { replyTo } from './socktop/replies';
import { tokenMatches } from './socktop/token';
import type { RunningServer, ServerContext, ServerModule } from './types';

const ID = 'socktop';
// Requests are short text frames; the longest real one is ~30 bytes.
const { port, disabled, maxFrame } = protocolFlags({ id: ID, label: PROTOCOLS[ID].label, defaultPort: PROTOCOLS[ID].defaultPort, maxFrameBytes: 4 * 1024 });
const token = stringFlag({
  name: 'socktop-token',
  group: ID,
  help: 'Require this token as ?token= (a wrong or missing one gets HTTP 401)',
  valueName: '<token>',
  secret: true,
});

interface SocktopHandlers {
  authorize(request: IncomingMessage, url: URL): Rejection | null;
  onConnection(socket: WebSocket): void;
}

/** What any socktop listener (plain now, TLS later) does with a request to upgrade and with each socket. */
function socktopHandlers(sampler: Sampler, expectedToken: string | undefined, log: Logger): SocktopHandlers {
  return {
    authorize(_request, url) {
      if (expectedToken === undefined || tokenMatches(url.searchParams.get('token'), expectedToken)) return null;
      log.debug('refused a client with a wrong or missing token');
      return { status: 401, body: 'Unauthorized: a wrong or missing ?token=' };
    },
    onConnection(socket) {
      serveClientSocket(socket, (request) => replyTo(request, sampler, log), log);
    },
  };
}

async function start(context: ServerContext): Promise<RunningServer> {
  const log = context.log.child(ID);
  const expectedToken = context.flags.get(token);
  const handlers = socktopHandlers(context.sampler, expectedToken, log);
  const server = createWsServer({ log, limits: context.limits, maxPayloadBytes: context.flags.get(maxFrame), paths: [PROTOCOLS[ID].defaultPath], ...handlers });

  try {
    const actualPort = await listenTcp(server.http, context.flags.get(port), context.host, { owner: ID, what: 'WebSocket', flag: port });
    const url = endpointUrl('ws', context.host, actualPort, PROTOCOLS[ID].defaultPath);
    log.info(`listening on ${url} (${expectedToken === undefined ? 'no token' : 'token required'})`);
    return {
      endpoints: [{ owner: ID, kind: 'ws', role: 'requests', host: context.host, port: actualPort, url }],
      connect: [{ protocol: ID, url: expectedToken === undefined ? url : `${url}?token=${encodeURIComponent(expectedToken)}` }],
      failures: [],
      close: () => server.close(),
    };
  } catch (error) {
    await server.close();
    return { endpoints: [], failures: [(error as Error).message], close: async () => {} };
  }
}

export const socktopServer: ServerModule = { id: ID, flags: [port, disabled, maxFrame, token], disabled, start };
