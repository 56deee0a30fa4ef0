// The renderer's entry: picks the Platform (the Electron preload's bridge when present, else the web
// dashboard's; with the hub's link when a hub served the page), ties the route to the address, starts the
// store and renders the app.

import { createRoot } from 'react-dom/client';
import type { Platform } from './platform/platform';
import { DashboardApi, takeTokenFromAddress } from './platform/web-api';
import { createHubLink, createWebPlatform, type WebExtras } from './platform/web';
import { syncRouteWithAddress } from './route-sync';
import { AppStore } from './state/app-store';
import { App } from './views/App';
import './styles.css';

/** A hub answers /api/mode without the token; the agent's own dashboard does not have it. */
async function servedBy(): Promise<'agent' | 'hub'> {
  try {
    const response = await fetch('/api/mode', { cache: 'no-store' });
    if (response.ok && ((await response.json()) as { mode?: unknown }).mode === 'hub') return 'hub';
  } catch {
    // Not served over HTTP by either: the agent's dashboard is the fallback, and says what is wrong.
  }
  return 'agent';
}

async function choosePlatform(): Promise<{ platform: Platform; web?: WebExtras }> {
  takeTokenFromAddress(window.location, window.history, window.sessionStorage);
  const api = new DashboardApi({ fetch: window.fetch.bind(window), session: window.sessionStorage, baseUrl: window.location.origin });
  const server = await servedBy();
  // The desktop window: the shell's bridge for the tray, notifications and this computer's agent, and the
  // hub that served the page for the fleet.
  if (window.fleetwatch) return { platform: server === 'hub' ? { ...window.fleetwatch, hub: createHubLink(api) } : window.fleetwatch };
  const { platform, extras } = createWebPlatform({
    api,
    servedBy: server,
    storage: window.localStorage,
    ...('Notification' in window ? { Notification: window.Notification } : {}),
    setTitle: (title) => {
      document.title = title;
    },
    focus: () => window.focus(),
  });
  return { platform, web: extras };
}

const { platform, web } = await choosePlatform();
const store = new AppStore({ platform, WebSocket: window.WebSocket });
syncRouteWithAddress(store, window.location, window.history, window);
void store.start();
createRoot(document.getElementById('root')!).render(<App store={store} {...(web ? { web } : {})} />);
