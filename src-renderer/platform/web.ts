// The Platform for the web dashboard a hub serves on loopback: the fleet through the hub's stream, settings
// in localStorage, LAN discovery through the hub's HTTP API, browser notifications. Only browser APIs, all
// passed in so the same code runs in tests under Node against a real hub.

import type { DiscoveryState } from '../../proto/discovery';
import type { Attempt } from '../../proto/detect';
import type { ServerDetection } from '../../fleet/detect-server';
import type { HistoryWindow, HubMessage } from '../../fleet/hub-view';
import { TargetError } from '../../proto/target';
import type { AppNotification, FleetSnapshot, HubLink, LoadedSettings, Platform, Unsubscribe } from './platform';
import { defaultSettings, parseSettings, type Settings } from './settings';
import { ApiError, DashboardApi, type AuthState } from './web-api';

export const SETTINGS_STORAGE_KEY = 'fleetwatch.settings';

type NotificationPermissionState = NotificationPermission | 'unsupported';

/** What only the web page needs besides the Platform: the token prompt and the notification permission. */
export interface WebExtras {
  auth: { state(): AuthState; subscribe(listener: (state: AuthState) => void): Unsubscribe; setToken(token: string): void };
  notifications: { permission(): NotificationPermissionState; request(): Promise<NotificationPermissionState> };
}

export interface WebPlatformOptions {
  api: DashboardApi;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** `window.Notification`, absent where the browser has none. */
  Notification?: typeof Notification;
  setTitle(title: string): void;
  focus?(): void;
  /** Longest wait before the discovery stream is opened again. */
  maxStreamRetryMs?: number;
}

const TITLE = 'FleetWatch';

export function createWebPlatform(options: WebPlatformOptions): { platform: Platform; extras: WebExtras } {
  const { api, storage } = options;
  const discoveryListeners = new Set<(state: DiscoveryState) => void>();
  let stopDiscoveryStream: (() => void) | undefined;
  const maxRetryMs = options.maxStreamRetryMs ?? 30_000;
  const platform: Platform = {
    kind: 'web',
    hub: createHubLink(api, maxRetryMs),
    async loadSettings(): Promise<LoadedSettings> {
      const text = storage.getItem(SETTINGS_STORAGE_KEY);
      if (text === null) return { settings: defaultSettings() };
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return corrupt(storage, text, 'it is not valid JSON');
      }
      const parsed = parseSettings(raw);
      return parsed.ok ? { settings: parsed.settings } : corrupt(storage, text, parsed.problem);
    },
    async saveSettings(settings: Settings): Promise<void> {
      storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify(settings));
    },
    discovery: {
      get: () => api.getJson<DiscoveryState>('/api/discovery'),
      scan: () => api.post('/api/discovery/scan'),
      subscribe(listener) {
        discoveryListeners.add(listener);
        stopDiscoveryStream ??= followStream(api, '/api/discovery/events', maxRetryMs, (data) => {
          const state = JSON.parse(data) as DiscoveryState;
          discoveryListeners.forEach((known) => known(state));
        });
        return () => {
          discoveryListeners.delete(listener);
          if (discoveryListeners.size > 0) return;
          stopDiscoveryStream?.();
          stopDiscoveryStream = undefined;
        };
      },
    },
    notify(notification: AppNotification) {
      const Browser = options.Notification;
      if (!Browser || Browser.permission !== 'granted') return;
      // The tag makes a new notification for the same host and rule replace the old one.
      const shown = new Browser(notification.title, { body: notification.body, tag: notification.id });
      shown.onclick = () => options.focus?.();
    },
    publishFleet(fleet: FleetSnapshot) {
      const alerting = fleet.hosts.filter((host) => host.state === 'alert' || host.state === 'warning').length;
      options.setTitle(alerting > 0 ? `(${alerting}) ${TITLE}` : TITLE);
    },
    onOpenHost() {
      return () => {};
    },
  };

  const extras: WebExtras = {
    auth: {
      state: () => api.authState,
      subscribe: (listener) => api.onAuthState(listener),
      setToken: (token) => api.setToken(token),
    },
    notifications: {
      permission: () => options.Notification?.permission ?? 'unsupported',
      // Browsers only show the permission prompt from a user gesture: call this from a click handler.
      request: async () => (options.Notification ? options.Notification.requestPermission() : 'unsupported'),
    },
  };
  return { platform, extras };
}

/** The hub's API: its stream (opened again with backoff when lost, each time from a new snapshot), history, retry and process watching. */
export function createHubLink(api: DashboardApi, maxRetryMs = 30_000): HubLink {
  return {
    subscribe: (listener) => followStream(api, '/api/hub/stream', maxRetryMs, (data) => listener(JSON.parse(data) as HubMessage)),
    history: (hostKey, fromMs, toMs, maxPoints) =>
      api.getJson<HistoryWindow>(`/api/hub/history?host=${encodeURIComponent(hostKey)}&from=${Math.max(0, Math.floor(fromMs))}&to=${Math.ceil(toMs)}&points=${maxPoints}`),
    retry: (sourceId) => api.post(`/api/hub/retry?source=${encodeURIComponent(sourceId)}`),
    watchProcesses: (sourceId) => api.post(`/api/hub/watch?source=${encodeURIComponent(sourceId ?? '')}`),
    addServer: (server) => api.send<{ id: string }>('POST', '/api/hub/servers', server),
    updateServer: async (id, change) => void (await api.send('PATCH', `/api/hub/servers?id=${encodeURIComponent(id)}`, change)),
    removeServer: async (id) => void (await api.send('DELETE', `/api/hub/servers?id=${encodeURIComponent(id)}`)),
    importServers: (servers) => api.send<{ added: number }>('POST', '/api/hub/servers/import', { servers }),
    detect: async (input, credentials, onProgress) => {
      let result: ServerDetection | undefined;
      let failure: string | undefined;
      try {
        await api.stream(
          '/api/hub/detect',
          (event) => {
            if (event.event === 'progress') onProgress?.(JSON.parse(event.data) as Attempt[]);
            else if (event.event === 'result') result = JSON.parse(event.data) as ServerDetection;
            else if (event.event === 'error') failure = (JSON.parse(event.data) as { error: string }).error;
          },
          undefined,
          { method: 'POST', body: { input, ...credentials } },
        );
      } catch (error) {
        // The hub refuses an address it cannot parse with the parser's own words.
        if (error instanceof ApiError && error.status === 400) throw new TargetError(error.message);
        throw error;
      }
      if (result) return result;
      throw new Error(failure ?? 'The hub ended the detection without an answer.');
    },
    acknowledge: async (id) => void (await api.send('POST', '/api/hub/alerts/ack', id === undefined ? {} : { id })),
    setRules: async (rules) => void (await api.send('PUT', '/api/hub/rules', rules)),
  };
}

/**
 * Reads a Server-Sent Events stream until stopped, opening it again with backoff whenever it ends or fails,
 * and at once when a token is given.
 */
function followStream(api: DashboardApi, path: string, maxRetryMs: number, onData: (data: string) => void): () => void {
  const controller = new AbortController();
  let retryMs = 1000;
  let wake: (() => void) | undefined;
  const stopWatchingAuth = api.onAuthState((state) => {
    if (state === 'ok') wake?.();
  });
  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        await api.stream(
          path,
          (event) => {
            retryMs = 1000;
            onData(event.data);
          },
          controller.signal,
        );
      } catch {
        // The server went away or refused the token: wait, then open the stream again.
      }
      if (controller.signal.aborted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, retryMs);
      });
      wake = undefined;
      retryMs = Math.min(retryMs * 2, maxRetryMs);
    }
  };
  void run();
  return () => {
    stopWatchingAuth();
    controller.abort();
    wake?.();
  };
}

/** Keeps the unusable document aside (so nothing is lost) and starts from defaults. */
function corrupt(storage: WebPlatformOptions['storage'], text: string, problem: string): LoadedSettings {
  storage.setItem(`${SETTINGS_STORAGE_KEY}.corrupt`, text);
  return {
    settings: defaultSettings(),
    notice: `The saved settings could not be used (${problem}); starting from defaults. The old copy is kept in this browser's storage as ${SETTINGS_STORAGE_KEY}.corrupt.`,
  };
}
