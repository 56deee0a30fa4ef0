// The Platform for the web dashboard the agent serves on loopback: settings in localStorage, the local agent
// and LAN discovery through the agent's HTTP API, browser notifications. Only browser APIs, all passed in
// so the same code runs in tests under Node against a real agent.

import type { ListeningEndpoint } from '../../proto/agent-report';
import type { Endpoint } from '../../proto/client';
import type { DiscoveryState } from '../../proto/discovery';
import type { AppNotification, FleetSnapshot, LoadedSettings, LocalAgentStatus, Platform, Unsubscribe } from './platform';
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
  /** How often the local agent's endpoints are re-read while something listens. */
  agentPollMs?: number;
  /** Longest wait before the discovery stream is opened again. */
  maxStreamRetryMs?: number;
}

interface AgentAnswer {
  connect: Endpoint[];
  listening: ListeningEndpoint[];
  failures: string[];
}

const TITLE = 'FleetWatch';

export function createWebPlatform(options: WebPlatformOptions): { platform: Platform; extras: WebExtras } {
  const { api, storage } = options;
  const agentListeners = new Set<(status: LocalAgentStatus) => void>();
  let agentTimer: ReturnType<typeof setInterval> | undefined;

  const readAgent = async (): Promise<LocalAgentStatus> => {
    try {
      const answer = await api.getJson<AgentAnswer>('/api/agent');
      return { state: 'running', connect: answer.connect, listening: answer.listening, failures: answer.failures, restarts: 0 };
    } catch (error) {
      const message = error instanceof ApiError && error.status === 401 ? error.message : `The agent serving this page is not answering (${(error as Error).message}).`;
      return { state: 'unavailable', connect: [], listening: [], failures: [], message, restarts: 0 };
    }
  };
  const pollAgent = (): void => {
    void readAgent().then((status) => agentListeners.forEach((listener) => listener(status)));
  };

  const discoveryListeners = new Set<(state: DiscoveryState) => void>();
  let discoveryStream: AbortController | undefined;
  const openDiscoveryStream = (): void => {
    const controller = new AbortController();
    discoveryStream = controller;
    let retryMs = 1000;
    const run = async (): Promise<void> => {
      while (!controller.signal.aborted) {
        try {
          await api.stream(
            '/api/discovery/events',
            (event) => {
              retryMs = 1000;
              const state = JSON.parse(event.data) as DiscoveryState;
              discoveryListeners.forEach((listener) => listener(state));
            },
            controller.signal,
          );
        } catch {
          // The agent went away or refused the token: wait, then open the stream again.
        }
        if (controller.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(retryMs * 2, options.maxStreamRetryMs ?? 30_000);
      }
    };
    void run();
  };

  const platform: Platform = {
    kind: 'web',
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
    localAgent: {
      get: readAgent,
      subscribe(listener) {
        agentListeners.add(listener);
        agentTimer ??= setInterval(pollAgent, options.agentPollMs ?? 5000);
        return () => {
          agentListeners.delete(listener);
          if (agentListeners.size > 0) return;
          clearInterval(agentTimer);
          agentTimer = undefined;
        };
      },
      async retry() {
        pollAgent();
      },
    },
    discovery: {
      get: () => api.getJson<DiscoveryState>('/api/discovery'),
      scan: () => api.post('/api/discovery/scan'),
      subscribe(listener) {
        discoveryListeners.add(listener);
        if (!discoveryStream) openDiscoveryStream();
        return () => {
          discoveryListeners.delete(listener);
          if (discoveryListeners.size > 0) return;
          discoveryStream?.abort();
          discoveryStream = undefined;
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
      subscribe: (listener) =>
        api.onAuthState((state) => {
          listener(state);
          if (state === 'ok') pollAgent();
        }),
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

/** Keeps the unusable document aside (so nothing is lost) and starts from defaults. */
function corrupt(storage: WebPlatformOptions['storage'], text: string, problem: string): LoadedSettings {
  storage.setItem(`${SETTINGS_STORAGE_KEY}.corrupt`, text);
  return {
    settings: defaultSettings(),
    notice: `The saved settings could not be used (${problem}); starting from defaults. The old copy is kept in this browser's storage as ${SETTINGS_STORAGE_KEY}.corrupt.`,
  };
}
