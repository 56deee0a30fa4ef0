// New alerts as one summary line at the top of the page, in the page's flow so it never covers a
// control: the newest alert (a click opens its host), how many more arrived with it (a click opens the
// Alerts page, which holds the detail), and a close button. Each alert leaves it after its own time.

import type { AppStore } from '../state/app-store';
import { StatusIcon } from './StatusBadge';

export function Toasts({ store }: { store: AppStore }) {
  const { toasts } = store;
  const newest = toasts.at(-1);
  if (!newest) return null;
  const worst = toasts.some((toast) => toast.severity === 'critical') ? 'critical' : newest.severity;
  const more = toasts.length - 1;
  return (
    <div className={`toast severity-${worst}`} role="status" aria-live="polite" aria-label="New alerts">
      <StatusIcon state={worst === 'critical' ? 'alert' : worst === 'warning' ? 'warning' : 'ok'} />
      <button type="button" className="toast-body" onClick={() => newest.hostKey && store.navigate({ view: 'host', hostKey: newest.hostKey })}>
        <strong>{newest.title}</strong>
        <span>{newest.body}</span>
      </button>
      {more > 0 && (
        <button type="button" className="button small" onClick={() => store.navigate({ view: 'alerts' })}>
          {more} more new {more === 1 ? 'alert' : 'alerts'}
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss new alerts" onClick={() => store.dismissToasts()}>
        ×
      </button>
    </div>
  );
}
