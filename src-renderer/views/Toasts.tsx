// In-page pop-ups for alerts as they fire; a click opens the host.

import type { AppStore } from '../state/app-store';
import { StatusIcon } from './StatusBadge';

export function Toasts({ store }: { store: AppStore }) {
  if (store.toasts.length === 0) return null;
  return (
    <div className="toasts" role="log" aria-live="polite" aria-label="New alerts">
      {store.toasts.map((toast) => (
        <div key={toast.id} className={`toast severity-${toast.severity}`}>
          <StatusIcon state={toast.severity === 'critical' ? 'alert' : toast.severity === 'warning' ? 'warning' : 'ok'} />
          <button type="button" className="toast-body" onClick={() => toast.hostKey && store.navigate({ view: 'host', hostKey: toast.hostKey })}>
            <strong>{toast.title}</strong>
            <span>{toast.body}</span>
          </button>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => store.dismissToast(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
