// The renderer's entry: picks the Platform (the Electron preload's bridge when present, else the web
// dashboard's; either way with the link to the hub that served the page), ties the route to the address,
// starts the store and renders the app.

import { createRoot } from 'react-dom/client';
import type { Platform } from './platform/platform';
import { DashboardApi, takeTokenFromAddress } from './platform/web-api';
import { createHubLink, createWebPlatform, type WebExtras } from './platform/web';
import { syncRouteWithAddress } from './route-sync';
import { AppStore } from './state/app-store';
import { App } from './views/App';
import './styles.css';

function choosePlatform(): { platform: Platform; web?: WebExtras } {
  takeTokenFromAddress(window.location, window.history, window.sessionStorage);
  const api = new DashboardApi({ fetch: window.fetch.bind(window), session: window.sessionStorage, baseUrl: window.location.origin });
  // The desktop window: the shell's bridge for the tray, notifications and this computer's agent, and the
  // hub that served the page for the fleet.
  if (window.fleetwatch) return { platform: { ...window.fleetwatch, hub: createHubLink(api) } };
  const { platform, extras } = createWebPlatform({
    api,
    storage: window.localStorage,
    ...('Notification' in window ? { Notification: window.Notification } : {}),
    setTitle: (title) => {
      document.title = title;
    },
    focus: () => window.focus(),
  });
  return { platform, web: extras };
}

const { platform, web } = choosePlatform();
const store = new AppStore({ platform });
syncRouteWithAddress(store, window.location, window.history, window);
void store.start();
createRoot(document.getElementById('root')!).render(<App store={store} {...(web ? { web } : {})} />);
