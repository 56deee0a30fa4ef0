// Every host of every source as a card, "This computer" first, with the fleet summary, a filter, state
// chips and the sort order. Reads the store; all ordering logic lives in state/overview-order.ts.

import { useCallback, useState } from 'react';
import type { FleetHostState } from '../platform/platform';
import type { AppStore } from '../state/app-store';
import { STATE_LABELS, STATE_RANK, summarize } from '../state/host-state';
import { orderOverview, SORT_KEYS, SORT_LABELS, type SortKey } from '../state/overview-order';
import { cardHead, HostCard } from './HostCard';
import { LocalAgentPanel } from './LocalAgentPanel';
import { StatusIcon } from './StatusBadge';
import { SummaryBar } from './SummaryBar';

/** In Worst first's order. */
const STATE_FILTERS = (Object.keys(STATE_RANK) as FleetHostState[]).sort((a, b) => STATE_RANK[a] - STATE_RANK[b]);

export function Overview({ store }: { store: AppStore }) {
  const [sort, setSort] = useState<SortKey>('worst');
  const [text, setText] = useState('');
  const [states, setStates] = useState<FleetHostState[]>([]);
  const rows = store.rows();
  const ordered = orderOverview(rows, { sort, text, states });
  const toggle = (state: FleetHostState): void => setStates((current) => (current.includes(state) ? current.filter((known) => known !== state) : [...current, state]));
  const open = useCallback((hostKey: string): void => store.navigate({ view: 'host', hostKey }), [store]);

  return (
    <div className="overview">
      <SummaryBar summary={summarize(rows)} />
      <LocalAgentPanel status={store.localAgent} onRetry={() => void store.retryLocalAgent()} />
      <div className="toolbar">
        <input className="search" type="search" placeholder="Filter hosts" aria-label="Filter hosts" value={text} onChange={(event) => setText(event.target.value)} />
        <div className="chip-group" role="group" aria-label="Show states">
          {STATE_FILTERS.map((state) => (
            <button key={state} type="button" className={`chip chip-${state}`} aria-pressed={states.includes(state)} onClick={() => toggle(state)}>
              <StatusIcon state={state} />
              {STATE_LABELS[state]}
            </button>
          ))}
        </div>
        <label className="sort">
          <span>Sort</span>
          <select value={sort} onChange={(event) => setSort(event.target.value as SortKey)} aria-label="Sort hosts">
            {SORT_KEYS.map((key) => (
              <option key={key} value={key}>
                {SORT_LABELS[key]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {rows.length === 0 ? (
        <div className="empty">
          <h2>No hosts yet</h2>
          <p>Add a server by address, or pick one the LAN discovery found.</p>
          <div className="empty-actions">
            <button type="button" className="button primary" onClick={() => store.navigate({ view: 'servers' })}>
              Add a server
            </button>
            <button type="button" className="button" onClick={() => store.navigate({ view: 'discovery' })}>
              Discover on the LAN
            </button>
          </div>
        </div>
      ) : ordered.length === 0 ? (
        <p className="muted no-match">No host matches the filter.</p>
      ) : (
        <div className="card-grid">
          {ordered.map((row) => (
            <HostCard key={row.machine.key} {...cardHead(row)} store={store} onOpen={open} />
          ))}
        </div>
      )}
    </div>
  );
}
