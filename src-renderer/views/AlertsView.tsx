// The Alerts page: every alert, active first, with acknowledge; in the browser, the switch for
// desktop notifications (browsers only ask from a click).

import { useState } from 'react';
import type { WebExtras } from '../platform/web';
import type { AppStore } from '../state/app-store';
import { AlertList } from './AlertList';

function BrowserNotifications({ web }: { web: WebExtras }) {
  const [permission, setPermission] = useState(web.notifications.permission());
  if (permission === 'unsupported') return <p className="muted">This browser cannot show notifications; alerts appear on this page only.</p>;
  if (permission === 'granted') return <p className="muted">Browser notifications are on.</p>;
  if (permission === 'denied') return <p className="muted">Browser notifications are blocked for this page; alerts appear here and as pop-ups in the page.</p>;
  return (
    <button type="button" className="button" onClick={() => void web.notifications.request().then(setPermission)}>
      Turn on browser notifications
    </button>
  );
}

export function AlertsView({ store, web }: { store: AppStore; web?: WebExtras }) {
  const nowMs = Date.now();
  const entries = store.book.entries(nowMs);
  const unacknowledged = store.book.unacknowledged(nowMs);
  return (
    <div className="page">
      <section className="panel">
        <div className="panel-head">
          <h2>Alerts</h2>
          <div className="panel-tools">
            {web && <BrowserNotifications web={web} />}
            <button type="button" className="button" disabled={unacknowledged === 0} onClick={() => store.acknowledgeAll()}>
              Acknowledge all
            </button>
          </div>
        </div>
        {entries.length === 0 ? <p className="muted empty-line">No alerts. Rules are set on the Rules page; servers may send their own.</p> : <AlertList entries={entries} store={store} nowMs={nowMs} />}
      </section>
    </div>
  );
}
