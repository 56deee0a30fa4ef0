// socktop agent server (`protobuf`) on `/ws`: one reply per request, in order, never anything unprompted.
// An optional token is checked before the upgrade (HTTP 401). With --tls the same handling is also served
// over TLS with a self-signed certificate that clients pin by its SHA-256 fingerprint.

import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { PROTOCOLS } from '../../proto/protocols';
import { SOCKTOP_TLS_PORT } from '../../proto/socktop/descriptor';
import { portFlag, protocolFlags, stringFlag, switchFlag } from '../cli/flags';
import { endpointUrl } from '../net/endpoint-url';
import { listenTcp } from '../net/listen';
import { secretsMatch } from '../net/secret-match';
import { loadOrCreateTlsIdentity } from '../net/tls-identity';
import { createWsServer, type Rejection, type WsServer } from '../net/ws-server';
import type { Logger } from '../log';
import type { Sampler } from '../sampler/sampler';
import type { serveClientSocket } from './socktop/client-socket';
import type { replyTo } from './socktop/replies';
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

const tls = switchFlag({ name: 'tls', group: ID, help: 'Also serve socktop over TLS (wss://) with a self-signed certificate kept in the data dir' });
const tlsPort = portFlag({ name: 'socktop-tls-port', group: ID, help: 'socktop TLS port (with --tls)', defaultValue: SOCKTOP_TLS_PORT });

interface SocktopHandlers {
  authorize(request: IncomingMessage, url: URL): Rejection | null;
  load(): Promise<unknown>;
  onConnection(socket: WebSocket): void;
}

/** What socktop's connections run: its codec (zod, protobufjs, fflate), loaded at the first client. */
interface SocktopSession {
  serveClientSocket: typeof serveClientSocket;
  replyTo: typeof replyTo;
}

/** What every socktop listener (plain and TLS) does with a request to upgrade and with each socket. */
function socktopHandlers(sampler: Sampler, expectedToken: string | undefined, log: Logger): SocktopHandlers {
  let session: SocktopSession | undefined;
  return {
    authorize(_request, url) {
      if (expectedToken === undefined || secretsMatch(url.searchParams.get('token'), expectedToken)) return null;
      log.debug('refused a client with a wrong or missing token');
      return { status: 401, body: 'Unauthorized: a wrong or missing ?token=' };
    },
    load: async () => {
      const [clientSocket, replies] = await Promise.all([import('./socktop/client-socket'), import('./socktop/replies')]);
      session ??= { serveClientSocket: clientSocket.serveClientSocket, replyTo: replies.replyTo };
    },
    onConnection(socket) {
      const { serveClientSocket: serve, replyTo: reply } = session!;
      serve(socket, (request) => reply(request, sampler, log), log);
    },
  };
}

async function start(context: ServerContext): Promise<RunningServer> {
  const log = context.log.child(ID);
  const expectedToken = context.flags.get(token);
  const handlers = socktopHandlers(context.sampler, expectedToken, log);
  const serve = (options: { tls?: { cert: string; key: string } }): WsServer =>
    createWsServer({ log, limits: context.limits, maxPayloadBytes: context.flags.get(maxFrame), paths: [PROTOCOLS[ID].defaultPath], ...handlers, ...options });
  const withToken = (url: string): string => (expectedToken === undefined ? url : `${url}?token=${encodeURIComponent(expectedToken)}`);
  const running: RunningServer = { endpoints: [], connect: [], failures: [], notices: [], close: async () => {} };
  const servers: WsServer[] = [];

  const plain = serve({});
  servers.push(plain);
  try {
    const actualPort = await listenTcp(plain.http, context.flags.get(port), context.host, { owner: ID, what: 'WebSocket', flag: port });
    const url = endpointUrl('ws', context.host, actualPort, PROTOCOLS[ID].defaultPath);
    log.info(`listening on ${url} (${expectedToken === undefined ? 'no token' : 'token required'})`);
    running.endpoints.push({ owner: ID, kind: 'ws', role: 'requests', host: context.host, port: actualPort, url, open: expectedToken === undefined });
    running.connect!.push({ protocol: ID, url: withToken(url) });
  } catch (error) {
    running.failures.push((error as Error).message);
  }

  if (context.flags.get(tls)) {
    try {
      const identity = await loadOrCreateTlsIdentity(context.dataDir, 'socktop-tls');
      const secure = serve({ tls: identity });
      servers.push(secure);
      const actualPort = await listenTcp(secure.http, context.flags.get(tlsPort), context.host, { owner: ID, what: 'TLS WebSocket', flag: tlsPort });
      const url = endpointUrl('wss', context.host, actualPort, PROTOCOLS[ID].defaultPath);
      log.info(`listening on ${url}`);
      running.endpoints.push({ owner: ID, kind: 'wss', role: 'requests', host: context.host, port: actualPort, url, fingerprint256: identity.fingerprint256, open: expectedToken === undefined });
      running.notices!.push(`socktop TLS certificate ${identity.created ? 'generated' : 'loaded'}; pin its SHA-256 fingerprint ${identity.fingerprint256}`);
    } catch (error) {
      running.failures.push((error as Error).message);
    }
  }

  running.close = () => Promise.all(servers.map((server) => server.close())).then(() => undefined);
  return running;
}

export const socktopServer: ServerModule = { id: ID, flags: [port, disabled, maxFrame, token, tls, tlsPort], disabled, start };
