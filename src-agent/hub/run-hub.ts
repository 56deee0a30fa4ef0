// `agent hub [flags]`: the fleet engine as its own process. Reads the --servers file (SIGHUP reads it
// again), connects to every server through proto's clients over `ws`, keeps history in
// <data-dir>/history.sqlite, and serves the dashboard and its API on loopback behind the token.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentReport } from '../../proto/agent-report';
import { stringFlag, type FlagSpec } from '../cli/flags';
import { exitOnStdinCloseFlag, jsonFlag, logLevelFlag } from '../cli/general-flags';
import { renderHelp, type HelpGroup } from '../cli/help';
import { parseFlags, UsageError } from '../cli/parse';
import { createDashboardApi } from '../dashboard/api';
import { dashboardScanPortsFlag } from '../dashboard/flags';
import { LOOPBACK, openFrontDoor } from '../dashboard/front-door';
import { defaultRendererDir } from '../dashboard/static-files';
import { ensureDataDir } from '../data-dir';
import { DiscoveryService } from '../discovery/service';
import { defaultDiscoveryTargets } from '../discovery/targets';
import { createLogger, type Logger } from '../log';
import { endpointUrl } from '../net/endpoint-url';
import { pinsByHostPort } from '../net/pinned-websocket';
import { LIMIT_FLAGS, limitsFromFlags } from '../net/limits';
import { certificatePinsFlag, historyRetentionFlag, HUB_FLAGS, HUB_GROUP, hubPortFlag, offlineAlertFlag, serversFlag } from './flags';
import { HubAlerts } from './hub-alerts';
import { localAgentEndpoints } from './local-agent';
import { HistoryStore } from './history/history-store';
import { createHubApi } from './hub-api';
import { ServerBook } from './server-book';
import { HubEngine } from './hub-engine';
import { parseServersFile, type ServersFile } from './servers-file';
import { guardProcess, serveUntilStopped } from '../cli/process-life';

const EXIT_USAGE = 2;
const EXIT_NOT_LISTENING = 1;

const hubDataDirFlag = stringFlag({
  name: 'data-dir',
  group: 'general',
  help: 'Where the hub keeps its history (history.sqlite) and the servers added from the dashboard (servers.json) (mode 0700)',
  valueName: '<dir>',
  defaultText: '$XDG_CONFIG_HOME/fleetwatch-hub, else ~/.config/fleetwatch-hub',
});

const hubTokenFlag = stringFlag({
  name: 'token',
  group: 'general',
  help: 'Token the dashboard API wants (generated per start when not given, and printed only to a terminal and the --json report)',
  valueName: '<token>',
  secret: true,
});

export function hubFlags(): FlagSpec<unknown>[] {
  return [...HUB_FLAGS, dashboardScanPortsFlag, jsonFlag, logLevelFlag, hubDataDirFlag, hubTokenFlag, exitOnStdinCloseFlag, ...LIMIT_FLAGS] as FlagSpec<unknown>[];
}

export function hubHelpGroups(): HelpGroup[] {
  return [
    { id: HUB_GROUP, title: 'Hub' },
    { id: 'general', title: 'General' },
    { id: 'dashboard', title: 'LAN discovery' },
    { id: 'limits', title: 'Limits' },
  ];
}

export const HUB_USAGE = `Usage: agent hub [flags]     watch every server in --servers, keep their history, serve the dashboard

Every flag can also be set through the environment variable named under it.`;

export async function runHub(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const specs = hubFlags();
  let parsed;
  try {
    parsed = parseFlags(specs, argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`agent hub: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const { flags } = parsed;
  if (parsed.help) {
    process.stdout.write(renderHelp(HUB_USAGE, hubHelpGroups(), specs));
    return 0;
  }
  if (parsed.positionals.length > 0) {
    process.stderr.write(`agent hub: unexpected argument "${parsed.positionals[0]}". Run with --help to list every flag.\n`);
    return EXIT_USAGE;
  }
  const serversPath = flags.get(serversFlag);
  const readServers = (): ServersFile => (serversPath ? parseServersFile(readFileSync(serversPath, 'utf8'), serversPath) : { servers: [], problems: [] });
  let servers: ServersFile;
  try {
    servers = readServers();
  } catch (error) {
    process.stderr.write(`agent hub: cannot read the --servers file: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }

  const log = createLogger(flags.get(logLevelFlag)).child('hub');
  guardProcess(log);

  const dataDir = flags.get(hubDataDirFlag) ?? path.join(env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'fleetwatch-hub');
  try {
    ensureDataDir(dataDir);
  } catch (error) {
    // The store says once that history cannot be kept; monitoring goes on without it.
    log.debug(`data dir: ${(error as Error).message}`);
  }
  const store = new HistoryStore({
    file: path.join(dataDir, 'history.sqlite'),
    retention: flags.get(historyRetentionFlag),
    onProblem: (problem) => {
      if (problem) log.warn(problem);
      else log.info('history is being saved again');
    },
  });
  const book = new ServerBook(path.join(dataDir, 'servers.json'));
  if (book.problem) log.warn(book.problem);
  const localAgent = localAgentEndpoints(env, log);
  const alerts = new HubAlerts({ file: path.join(dataDir, 'alerts.json'), now: Date.now, offlineAfterMs: flags.get(offlineAlertFlag) * 1000, onProblem: (problem) => log.warn(problem) });
  // Node's own checks for every server, except the self-signed ones the user pinned.
  const engine = new HubEngine({ WebSocket: pinsByHostPort(flags.get(certificatePinsFlag)), store, servers: book, alerts, ...(localAgent ? { localAgent } : {}) });
  const load = (file: ServersFile): void => {
    for (const problem of file.problems) log.warn(problem);
    book.setFile(file.servers, serversPath);
    engine.setFileStatus({ ...(serversPath ? { serversFrom: serversPath } : {}), problems: file.problems });
    engine.serversChanged();
    const count = book.entries().length;
    log.info(`watching ${count} ${count === 1 ? 'server' : 'servers'} (${file.servers.length} from ${serversPath ?? 'no --servers file'}, the rest added from the dashboard)${localAgent ? ' and this computer' : ''}`);
  };
  load(servers);
  engine.start();

  const discovery = new DiscoveryService({ targets: () => defaultDiscoveryTargets(), ports: flags.get(dashboardScanPortsFlag) });
  const dashboardApi = createDashboardApi({ discovery });
  const hubApi = createHubApi({ engine, store, book });
  const givenToken = flags.get(hubTokenFlag);
  const token = givenToken ?? randomBytes(24).toString('base64url');
  const door = openFrontDoor({
    root: defaultRendererDir(),
    token,
    log,
    limits: limitsFromFlags(flags),
    open: { '/api/mode': () => ({ mode: 'hub' }) },
    api: (request, response, url) => {
      if (!hubApi.handle(request, response, url)) dashboardApi.handle(request, response, url.pathname);
    },
  });

  const close = async (): Promise<void> => {
    engine.stop();
    hubApi.close();
    dashboardApi.close();
    await door.close();
    store.close();
  };

  let port: number;
  try {
    port = await door.listen(flags.get(hubPortFlag), { owner: 'hub', what: 'HTTP', flag: hubPortFlag });
  } catch (error) {
    log.error((error as Error).message);
    await close();
    return EXIT_NOT_LISTENING;
  }
  const url = endpointUrl('http', LOOPBACK, port, '/');
  const openInBrowser = `${url}?token=${encodeURIComponent(token)}`;
  const notice = givenToken ? `dashboard at ${url} (open it once as ${url}?token=<the --token value>)` : `dashboard at ${url} (its token is new each start and printed only to a terminal and the --json report; --token chooses one)`;
  log.info(process.stderr.isTTY && !givenToken ? `dashboard at ${openInBrowser}` : notice);
  log.info(`history in ${path.join(dataDir, 'history.sqlite')}`);

  process.on('SIGHUP', () => reload(log, readServers, load));
  return serveUntilStopped({ log, closing: 'stopping', close, exitOnStdinClose: flags.get(exitOnStdinCloseFlag) }, () => {
    if (!flags.get(jsonFlag)) return;
    const report: AgentReport = { event: 'listening', pid: process.pid, endpoints: [{ owner: 'hub', kind: 'http', role: 'dashboard', host: LOOPBACK, port, url, open: false }], connect: [], failures: [], openInBrowser };
    process.stdout.write(JSON.stringify(report) + '\n');
  });
}

function reload(log: Logger, read: () => ServersFile, load: (file: ServersFile) => void): void {
  try {
    load(read());
  } catch (error) {
    log.error(`SIGHUP: cannot read the --servers file, keeping the servers watched now: ${(error as Error).message}`);
  }
}
