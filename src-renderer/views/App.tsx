// The app shell: applies the theme, subscribes to the store (one re-render per store tick), and shows
// the current page, toasts, the settings notice and, in web mode, the token prompt.

import { useEffect, useSyncExternalStore } from 'react';
import type { WebExtras } from '../platform/web';
import type { AppStore } from '../state/app-store';
import { AlertsView } from './AlertsView';
import { Discovery } from './Discovery';
import { HostDetail } from './host/HostDetail';
import { Overview } from './Overview';
import { Rules } from './Rules';
import { Servers } from './Servers';
import { Toasts } from './Toasts';
import { TokenPrompt } from './TokenPrompt';
import { TopBar } from './TopBar';

function useWebAuth(web: WebExtras | undefined) {
  return useSyncExternalStore(
    (listener) => (web ? web.auth.subscribe(listener) : () => {}),
    () => web?.auth.state() ?? 'ok',
  );
}

export function App({ store, web }: { store: AppStore; web?: WebExtras }) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const auth = useWebAuth(web);
  const theme = store.settings.theme;

  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  const { route } = store;
  return (
    <div className="app">
      <TopBar store={store} />
      <main className="content">
        <Toasts store={store} />
        {store.settingsNotice && (
          <div className="callout callout-failed notice" role="alert">
            <span>{store.settingsNotice}</span>
            <button type="button" className="button small" onClick={() => store.dismissNotice()}>
              Dismiss
            </button>
          </div>
        )}
        {store.infoNotice && (
          <div className="callout callout-online notice" role="status">
            <span>{store.infoNotice}</span>
            <button type="button" className="button small" onClick={() => store.dismissInfo()}>
              Dismiss
            </button>
          </div>
        )}
        {!store.loaded ? (
          <p className="muted">Loading…</p>
        ) : route.view === 'host' ? (
          <HostDetail store={store} hostKey={route.hostKey} />
        ) : route.view === 'servers' ? (
          <Servers store={store} />
        ) : route.view === 'discovery' ? (
          <Discovery store={store} />
        ) : route.view === 'alerts' ? (
          <AlertsView store={store} {...(web ? { web } : {})} />
        ) : route.view === 'rules' ? (
          <Rules store={store} />
        ) : (
          <Overview store={store} />
        )}
      </main>
      {web && <TokenPrompt state={auth} onToken={(token) => web.auth.setToken(token)} />}
    </div>
  );
}
