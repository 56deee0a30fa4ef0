// The fleet at a glance: how many hosts are up, down, in Alert and in Warning (the chips' words and counts),
// and how many are still connecting.

import type { FleetHostState } from '../platform/platform';
import type { FleetSummary } from '../state/host-state';
import { StatusIcon } from './StatusBadge';

export function SummaryBar({ summary }: { summary: FleetSummary }) {
  return (
    <section className="summary-bar" aria-label="Fleet summary">
      <div className="summary-item">
        <span className="summary-count" data-testid="hosts-total">{summary.total}</span>
        <span className="summary-label">{summary.total === 1 ? 'host' : 'hosts'}</span>
      </div>
      <StateCount name="up" state="ok" count={summary.up} />
      <StateCount name="down" state="offline" count={summary.down} />
      <StateCount name="alert" state="alert" count={summary.alert} />
      <StateCount name="warning" state="warning" count={summary.warning} />
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

/** One count beside its state's icon; `name` is its label, class and test id. */
function StateCount({ name, state, count }: { name: string; state: FleetHostState; count: number }) {
  return (
    <div className={`summary-item summary-${name}${count > 0 ? ' is-nonzero' : ''}`}>
      <StatusIcon state={state} />
      <span className="summary-count" data-testid={`hosts-${name}`}>
        {count}
      </span>
      <span className="summary-label">{name}</span>
    </div>
  );
}
