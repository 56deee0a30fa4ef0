// The Electron main process: one instance, one window (the hub's page), the tray, the supervised agent and
// hub, LAN discovery and the IPC behind the renderer's Platform. Composition only; each decision lives in
// its own module.

import { app, dialog, ipcMain, session } from 'electron';
import { DiscoveryService } from '../src-agent/discovery/service';
import { defaultDiscoveryTargets } from '../src-agent/discovery/targets';
import type { AppNotification } from '../src-renderer/platform/platform';
import { bundledAgentLaunch, bundledHubLaunch, newLaunchToken } from './agent-supervisor/agent-launch';
import { utilityProcessSpawner } from './agent-supervisor/electron-spawn';
import { RotatingLog } from './agent-supervisor/rotating-log';
import { AgentSupervisor } from './agent-supervisor/supervisor';
import { appPaths } from './app-paths';
import { registerIpc, sendEvent } from './ipc/register';
import { Notifier } from './notifications/notifier';
import { mergeRendererSettings, SettingsStore } from './settings/settings-store';
import { NotificationGate } from './tray/notification-gate';
import { TrayController } from './tray/tray-controller';
import { freeLoopbackPort } from '../src-agent/net/free-port';
import { createMainWindow, showWindow } from './window/main-window';
import { acceptPinnedCertificateErrors, secureSession } from './window/session-security';

// Lets tests and portable setups keep everything in one folder; must be set before anything reads it.
if (process.env.FLEETWATCH_USER_DATA_DIR) app.setPath('userData', process.env.FLEETWATCH_USER_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.whenReady().then(start, fail).catch(fail);
}

function fail(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`FleetWatch could not start: ${message}\n`);
  dialog.showErrorBox('FleetWatch could not start', message);
  app.exit(1);
}

/** Extra agent flags for development and tests, as a JSON array (e.g. ephemeral ports). */
function extraAgentArgs(): string[] {
  const raw = process.env.FLEETWATCH_AGENT_ARGS;
  if (!raw) return [];
  const parsed: unknown = JSON.parse(raw);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error('FLEETWATCH_AGENT_ARGS must be a JSON array of strings');
  return parsed;
}

async function start(): Promise<void> {
  const paths = appPaths({
    mainDir: import.meta.dirname,
    appPath: app.getAppPath(),
    resourcesPath: process.resourcesPath,
    isPackaged: app.isPackaged,
    userData: app.getPath('userData'),
    devServerUrl: process.env.ELECTRON_RENDERER_URL,
  });
  const mainLog = new RotatingLog({ file: paths.mainLog });
  const log = (line: string): void => {
    const stamped = `${new Date().toISOString()} [main] ${line}`;
    mainLog.write(stamped);
    process.stderr.write(`${stamped}\n`);
  };

  const store = new SettingsStore({ dir: app.getPath('userData') });
  const loaded = await store.load();
  if (loaded.notice) log(loaded.notice);

  // The window shows the hub's page (the fleet lives in the hub); `electron-vite dev` serves its own.
  const token = newLaunchToken();
  const hubPort = await freeLoopbackPort();
  const hubUrl = `http://127.0.0.1:${hubPort}/`;
  const entry = { servedFrom: paths.devServerUrl ?? hubUrl };
  const pins = (): Readonly<Record<string, string>> => store.current.certificatePins;
  secureSession(session.defaultSession, { mode: paths.devServerUrl ? 'dev' : 'production', pins, log });
  acceptPinnedCertificateErrors(app, { pins, log });

  let quitting = false;
  const window = createMainWindow({
    preloadPath: paths.preload,
    entry,
    ...(paths.devServerUrl ? { load: { url: paths.devServerUrl } } : {}),
    savedBounds: store.current.window,
    onBoundsChanged: (bounds) => void store.update((settings) => ({ ...settings, window: bounds })).catch((error: Error) => log(`saving window bounds: ${error.message}`)),
    isQuitting: () => quitting,
    iconPath: paths.appIcon,
    log,
  });
  const openWindow = (): void => showWindow(window);
  const openHost = (hostKey: string): void => {
    openWindow();
    const contents = window.webContents;
    if (contents.isLoading()) contents.once('did-finish-load', () => sendEvent(contents, 'openHost', hostKey));
    else sendEvent(contents, 'openHost', hostKey);
  };

  const tray = new TrayController({ trayDir: paths.trayDir, platform: process.platform, actions: { open: openWindow, openHost, quit: () => app.quit() } });
  const notifier = new Notifier({ gate: new NotificationGate(), pausedUntilMs: () => tray.pausedUntilMs, onClick: (hostKey) => (hostKey ? openHost(hostKey) : openWindow()), log });

  const agentLog = new RotatingLog({ file: paths.agentLog });
  const agentArgs = extraAgentArgs();
  const supervisor = new AgentSupervisor({
    spawn: utilityProcessSpawner(paths.agent),
    launch: () => bundledAgentLaunch({ token, dataDir: paths.agentDataDir, exitOnStdinClose: false, extraArgs: agentArgs }),
    log: (line) => agentLog.write(line),
    logFile: paths.agentLog,
  });
  supervisor.subscribe((status) => {
    sendEvent(window.webContents, 'agentStatus', status);
    if (status.state === 'crashed' || status.state === 'unavailable') {
      const notice: AppNotification = { id: 'fleetwatch/agent', title: 'FleetWatch stopped its agent', body: status.message ?? 'Open FleetWatch to retry.', severity: 'info' };
      notifier.show(notice);
    }
  });

  // The hub starts once the agent has said where it listens (or has given up), so it can show This computer.
  const hubLog = new RotatingLog({ file: paths.hubLog });
  const hub = new AgentSupervisor({
    spawn: utilityProcessSpawner(paths.agent),
    launch: () => bundledHubLaunch({ token, dataDir: paths.hubDataDir, port: hubPort, localAgent: supervisor.status.connect, certificatePins: store.current.certificatePins }),
    log: (line) => hubLog.write(line),
    logFile: paths.hubLog,
  });
  supervisor.subscribe((status) => {
    if (status.state !== 'starting') hub.start();
  });
  let pageLoadedFromHubPid: number | undefined;
  hub.subscribe((status) => {
    if (paths.devServerUrl || status.state !== 'running' || hub.pid === pageLoadedFromHubPid) return;
    // First start: the token goes once in the address and comes back as an HttpOnly cookie; after a restart
    // of the hub the page reloads from the same address with that cookie.
    void window.loadURL(pageLoadedFromHubPid === undefined ? `${hubUrl}?token=${encodeURIComponent(token)}` : hubUrl);
    pageLoadedFromHubPid = hub.pid;
  });

  const discovery = new DiscoveryService({ targets: () => defaultDiscoveryTargets() });
  discovery.subscribe((state) => sendEvent(window.webContents, 'discoveryState', state));

  registerIpc({
    ipcMain,
    entry,
    log,
    invoke: {
      loadSettings: () => store.loaded,
      saveSettings: (settings) => store.save(mergeRendererSettings(settings, store.current)),
      getAgentStatus: () => supervisor.status,
      retryAgent: () => supervisor.retry(),
      getDiscovery: () => discovery.state,
      scanDiscovery: () => discovery.scanNow(),
    },
    send: {
      notify: (notification) => notifier.show(notification),
      publishFleet: (fleet) => tray.update(fleet),
    },
  });

  supervisor.start();
  discovery.start();

  app.on('second-instance', openWindow);
  app.on('activate', openWindow);
  // The window only hides; the app lives in the tray until Quit.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => {
    quitting = true;
  });
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    discovery.stop();
    tray.destroy();
    void Promise.all([hub.stop(), supervisor.stop()]).finally(() => {
      stopped = true;
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  if (process.env.FLEETWATCH_TEST_HOOKS === '1') {
    Object.assign(globalThis, { fleetwatchTestHooks: { tray: () => tray.current, agent: () => supervisor.status, agentPid: () => supervisor.pid, hubPid: () => hub.pid } });
  }
}
