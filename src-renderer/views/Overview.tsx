// Every host of every source as a card or as a row of the fleet table (the user's choice, kept in the
// settings), with the fleet summary, a filter, state chips and the sort order. Reads the store; all
// ordering logic lives in state/overview-order.ts and state/fleet-table.ts.

import { useCallback, useState } from 'react';
import type { FleetHostState } from '../platform/platform';
import type { AppStore } from '../state/app-store';
import { STATE_LABELS, STATE_RANK, summarize } from '../state/host-state';
import { orderOverview, SORT_KEYS, SORT_LABELS, type SortKey } from '../state/overview-order';
import { nextSort, orderTable, type TableColumn, type TableSort } from '../state/fleet-table';
import type { Settings } from '../platform/settings';
import { FleetTable } from './FleetTable';
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
  const [tableSort, setTableSort] = useState<TableSort>({ descending: true });
  const layout = store.settings.overviewLayout;
  const rows = store.rows();
  const query = { sort, text, states };
  const ordered = layout === 'table' ? orderTable(rows, { ...query, sort: 'worst' }, tableSort) : orderOverview(rows, query);
  const setLayout = (next: Settings['overviewLayout']): void => void store.saveSettings({ ...store.settings, overviewLayout: next });
  const sortBy = useCallback((column: TableColumn): void => setTableSort((current) => nextSort(current, column)), []);
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
        <div className="toolbar-end">
          {layout === 'cards' && (
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
          )}
          <div className="segmented" role="group" aria-label="Show hosts as">
            <button type="button" aria-pressed={layout === 'cards'} onClick={() => setLayout('cards')}>
              Cards
            </button>
            <button type="button" aria-pressed={layout === 'table'} onClick={() => setLayout('table')}>
              Table
            </button>
          </div>
        </div>
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
      ) : layout === 'table' ? (
        <FleetTable rows={ordered} store={store} sort={tableSort} onSort={sortBy} onOpen={open} />
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
