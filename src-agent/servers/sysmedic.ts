// SysMedic server (`request_id`): `/ws?secret=…` (a missing or wrong secret gets HTTP 401 before the upgrade),
// `welcome` on connect, one `system_update` per interval to every client from one timer that samples only
// while someone listens, `alert` broadcasts on CPU/memory thresholds, one response per request, `GET /health`.
// The secret appears only in the start notice shown on an interactive terminal and the ready-to-connect
// URL handed to the supervisor; no message, logged line or listening-endpoint URL carries it.

import type { WebSocket } from 'ws';
import { PROTOCOLS } from '../../proto/protocols';
import { encodeAlert, encodeError, encodeSystemUpdate, encodeWelcome, type MonitorSettings } from '../../proto/sysmedic/wire';
import { broadcast, sendBounded } from '../net/bounded-send';
import { endpointUrl } from '../net/endpoint-url';
import { listenTcp } from '../net/listen';
import { writeJson } from '../net/write-json';
import { createWsServer } from '../net/ws-server';
import { cpuThresholdFlag, disabledFlag, intervalFlag, maxFrameFlag, memoryThresholdFlag, portFlag, secretFlag, SYSMEDIC_FLAGS } from './sysmedic/flags';
import { alertReport, rootDiskPercent, systemStatus, usersFrom } from './sysmedic/readings';
import { answerRequest } from './sysmedic/requests';
import { secretsMatch } from '../net/secret-match';
import { connectionString, redactedConnectionString, requestSecret, resolveSecret, SECRET_FILE } from './sysmedic/secret';
import { DEFAULT_ALERT_TUNING, describeAlert, ThresholdAlerts } from './sysmedic/threshold-alerts';
import type { RunningServer, ServerContext, ServerModule } from './types';

const ID = 'sysmedic';
const WS_PATH = PROTOCOLS[ID].defaultPath;
const HEALTH_PATH = '/health';
/** Requests of one client being answered at once; more are refused with `error` rather than queued. */
export const MAX_REQUESTS_IN_FLIGHT = 8;

async function start(context: ServerContext): Promise<RunningServer> {
  const log = context.log.child(ID);
  let secret: string;
  let secretSource: string;
  let secretWhere: string;
  try {
    const resolved = resolveSecret(context.flags.get(secretFlag), context.dataDir);
    secret = resolved.secret;
    const file = `${context.dataDir}/${SECRET_FILE}`;
    secretSource = resolved.source === 'flag' ? 'given by --sysmedic-secret' : `${resolved.source === 'generated' ? 'generated into' : 'read from'} ${file}`;
    secretWhere = resolved.source === 'flag' ? 'the one given by --sysmedic-secret' : `in ${file}`;
  } catch (error) {
    return { endpoints: [], failures: [`${ID}: ${(error as Error).message}`], close: async () => {} };
  }

  const settings: MonitorSettings = {
    intervalSec: context.flags.get(intervalFlag),
    cpuThresholdPercent: context.flags.get(cpuThresholdFlag),
    memoryThresholdPercent: context.flags.get(memoryThresholdFlag),
  };
  const thresholdPercent = { cpu: settings.cpuThresholdPercent, memory: settings.memoryThresholdPercent };
  const alerts = new ThresholdAlerts({ thresholdPercent, ...DEFAULT_ALERT_TUNING });
  const requestContext = { sampler: context.sampler, alerts, settings, now: Date.now };
  const streaming = new Set<WebSocket>();
  let listeningPort = 0;

  const welcome = async (socket: WebSocket): Promise<void> => {
    const { host, sample } = await context.sampler.snapshot();
    sendBounded(socket, JSON.stringify(encodeWelcome(host, systemStatus(sample, thresholdPercent), Date.now())));
    if (socket.readyState === socket.OPEN) streaming.add(socket);
  };

  const server = createWsServer({
    log,
    limits: context.limits,
    maxPayloadBytes: context.flags.get(maxFrameFlag),
    paths: [WS_PATH],
    authorize(request, url) {
      if (secretsMatch(requestSecret(request, url), secret)) return null;
      log.debug('refused a WebSocket client without the right secret');
      return { status: 401, body: 'Unauthorized\n' };
    },
    onConnection(socket) {
      // Requests wait for the welcome so that it is always the first frame a client sees.
      const welcomed = welcome(socket).catch((error: Error) => log.warn(`could not sample for a new client: ${error.message}`));
      let inFlight = 0;
      socket.on('message', (data, isBinary) => {
        if (inFlight >= MAX_REQUESTS_IN_FLIGHT) {
          log.debug('refused a request: too many in flight from one client');
          sendBounded(socket, JSON.stringify(encodeError('Too many requests in flight', undefined, Date.now())));
          return;
        }
        inFlight += 1;
        const frame = isBinary ? '' : data.toString();
        welcomed
          .then(() => answerRequest(frame, requestContext))
          .then(({ response, refused }) => {
            if (refused) log.debug(`answered ${isBinary ? 'a binary frame' : refused} with an error`);
            sendBounded(socket, response);
          })
          .finally(() => {
            inFlight -= 1;
          });
      });
      socket.on('close', () => streaming.delete(socket));
    },
    onRequest(request, response, url) {
      if (url.pathname === HEALTH_PATH) {
        context.sampler
          .hostInfo()
          .then(
            (host) => host.hostname,
            () => 'unknown',
          )
          .then((hostname) => writeJson(response, 200, { status: 'healthy', running: true, clients: server.clientCount(), port: listeningPort, hostname, has_secret: true }));
        return;
      }
      if (url.pathname === WS_PATH) {
        if (!secretsMatch(requestSecret(request, url), secret)) return writeJson(response, 401, { error: 'Unauthorized' });
        return writeJson(response, 426, { error: 'This endpoint speaks WebSocket; connect with a WebSocket client.' });
      }
      writeJson(response, 404, { error: 'Not found' });
    },
  });

  let ticking = false;
  const tick = async (): Promise<void> => {
    if (streaming.size === 0 || ticking) return;
    ticking = true;
    try {
      const { host, sample } = await context.sampler.snapshot({ disks: true });
      const reading = { ...sample, diskUsedPercent: rootDiskPercent(sample.disks) };
      broadcast(streaming, JSON.stringify(encodeSystemUpdate(reading)));
      const raised = alerts.evaluate({ cpu: reading.cpu?.totalPercent ?? 0, memory: reading.memory?.usedPercent ?? 0 }, reading.timeMs);
      if (raised.length === 0) return;
      const { sample: withProcesses } = await context.sampler.snapshot({ processes: true });
      const users = usersFrom(withProcesses.processes, host.memoryTotalBytes ?? reading.memory?.totalBytes);
      for (const alert of raised) {
        log.info(`alert: ${describeAlert(alert)}`);
        broadcast(streaming, JSON.stringify(encodeAlert(alertReport(alert, reading, users))));
      }
    } finally {
      ticking = false;
    }
  };
  const ticker = setInterval(() => tick().catch((error: Error) => log.warn(`sampling failed: ${error.message}`)), settings.intervalSec * 1000);

  const close = async (): Promise<void> => {
    clearInterval(ticker);
    await server.close();
  };

  try {
    listeningPort = await listenTcp(server.http, context.flags.get(portFlag), context.host, { owner: ID, what: 'WebSocket', flag: portFlag });
    const url = endpointUrl('ws', context.host, listeningPort, WS_PATH);
    log.info(`listening on ${url} (system_update every ${settings.intervalSec} s; secret ${secretSource})`);
    return {
      endpoints: [
        { owner: ID, kind: 'ws', role: 'stream', host: context.host, port: listeningPort, url, open: false },
        { owner: ID, kind: 'http', role: 'health', host: context.host, port: listeningPort, url: endpointUrl('http', context.host, listeningPort, HEALTH_PATH), open: true },
      ],
      connect: [{ protocol: ID, url: `${url}?secret=${encodeURIComponent(secret)}` }],
      failures: [],
      notices: [`SysMedic quick connect: ${redactedConnectionString(context.host, listeningPort)} (<secret> is ${secretWhere})`],
      terminalNotices: [`SysMedic quick connect: ${connectionString(secret, context.host, listeningPort)}`],
      close,
    };
  } catch (error) {
    await close();
    return { endpoints: [], failures: [(error as Error).message], close: async () => {} };
  }
}

export const sysmedicServer: ServerModule = { id: ID, flags: SYSMEDIC_FLAGS, disabled: disabledFlag, start };
