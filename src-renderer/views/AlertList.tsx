// Alerts as a list with acknowledge: the Alerts page, and a host's own alerts on its page.

import type { AppStore } from '../state/app-store';
import type { AlertEntry } from '../../fleet/alerts/alert-book';
import { formatAgo, formatClock } from '../state/time-format';
import { StatusIcon } from './StatusBadge';

const ORIGIN_WORDS: Record<AlertEntry['origin'], string> = { rule: 'Alert rule', server: 'Sent by the server', offline: 'Host offline' };

export function AlertList({ entries, store, nowMs, compact = false }: { entries: AlertEntry[]; store: AppStore; nowMs: number; compact?: boolean }) {
  return (
    <ul className={`alert-list${compact ? ' compact' : ''}`} aria-label="Alerts">
      {entries.map((entry) => {
        const active = store.book.isActive(entry, nowMs);
        const acknowledged = entry.acknowledgedAtMs !== undefined;
        return (
          <li key={entry.id} className={`alert-item severity-${entry.severity}${active ? ' is-active' : ' is-over'}${acknowledged ? ' is-acknowledged' : ''}`} data-alert-id={entry.id}>
            <StatusIcon state={active ? (entry.severity === 'critical' ? 'alert' : 'warning') : 'ok'} />
            <div className="alert-text">
              <div className="alert-title">
                {!compact && (
                  <button type="button" className="link" onClick={() => store.navigate({ view: 'host', hostKey: entry.hostKey })}>
                    {entry.hostName}
                  </button>
                )}
                <span>{compact ? entry.title.replace(`${entry.hostName}: `, '') : entry.title.replace(`${entry.hostName}: `, ' · ')}</span>
              </div>
              <div className="alert-message">{entry.message}</div>
              <div className="alert-meta muted">
                {ORIGIN_WORDS[entry.origin]} · raised {formatClock(entry.raisedAtMs, true)} ({formatAgo(entry.raisedAtMs, nowMs)})
                {entry.clearedAtMs !== undefined && ` · cleared ${formatClock(entry.clearedAtMs, true)}`}
                {acknowledged && ' · acknowledged'}
              </div>
            </div>
            <div className="alert-actions">
              <span className={`alert-state ${active ? 'active' : 'over'}`}>{active ? (entry.origin === 'server' ? 'New' : 'Firing') : entry.origin === 'server' ? 'Old' : 'Cleared'}</span>
              {!acknowledged && active && (
                <button type="button" className="button small" onClick={() => store.acknowledge(entry.id)}>
                  Acknowledge
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
