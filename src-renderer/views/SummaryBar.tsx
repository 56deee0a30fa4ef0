// The fleet at a glance: how many hosts are up, down, in Alert and in Warning (the chips' words and counts),
// and how many are still connecting.

import type { FleetSummary } from '../state/host-state';
import { StatusIcon } from './StatusBadge';

export function SummaryBar({ summary }: { summary: FleetSummary }) {
  return (
    <section className="summary-bar" aria-label="Fleet summary">
      <div className="summary-item">
        <span className="summary-count" data-testid="hosts-total">{summary.total}</span>
        <span className="summary-label">{summary.total === 1 ? 'host' : 'hosts'}</span>
      </div>
      <div className="summary-item summary-up">
        <StatusIcon state="ok" />
        <span className="summary-count" data-testid="hosts-up">{summary.up}</span>
        <span className="summary-label">up</span>
      </div>
      <div className={`summary-item summary-down${summary.down > 0 ? ' is-nonzero' : ''}`}>
        <StatusIcon state="offline" />
        <span className="summary-count" data-testid="hosts-down">{summary.down}</span>
        <span className="summary-label">down</span>
      </div>
      <div className={`summary-item summary-alert${summary.alert > 0 ? ' is-nonzero' : ''}`}>
        <StatusIcon state="alert" />
        <span className="summary-count" data-testid="hosts-alert">{summary.alert}</span>
        <span className="summary-label">alert</span>
      </div>
      <div className={`summary-item summary-warning${summary.warning > 0 ? ' is-nonzero' : ''}`}>
        <StatusIcon state="warning" />
        <span className="summary-count" data-testid="hosts-warning">{summary.warning}</span>
        <span className="summary-label">warning</span>
      </div>
      {/* Last, and only while there are any, so nothing else moves when start-up ends. */}
      {summary.connecting > 0 && (
        <div className="summary-item summary-connecting" title="Connecting, or being detected: not answered yet, not given up on">
          <span className="spinner" aria-hidden="true" />
          <span className="summary-count" data-testid="hosts-connecting">{summary.connecting}</span>
          <span className="summary-label">connecting</span>
        </div>
      )}
    </section>
  );
}
