// Every host of every source as a card or as a row of the fleet table (the user's choice, kept in the
// settings), in one list or under a header per tag (folded or not, also kept), with the fleet summary, a
// filter, state chips, a tag filter and the sort order. Reads the store; all ordering and grouping logic
// lives in state/overview-order.ts, state/fleet-table.ts and state/host-groups.ts.

import { useCallback, useState } from 'react';
import type { FleetHostState } from '../platform/platform';
import type { AppStore, HostRow } from '../state/app-store';
import { STATE_LABELS, STATE_RANK, summarize } from '../state/host-state';
import { orderOverview, SORT_KEYS, SORT_LABELS, type SortKey } from '../state/overview-order';
import { nextSort, orderTable, type TableColumn, type TableSort } from '../state/fleet-table';
import type { Settings } from '../platform/settings';
import { groupByTag, tableItems, tagChoices } from '../state/host-groups';
import { FleetTable } from './FleetTable';
import { groupLabel, GroupHead } from './GroupHead';
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
  const [tag, setTag] = useState<string | undefined>(undefined);
  const { overviewLayout: layout, overviewGrouping, collapsedGroups } = store.settings;
  const rows = store.shownRows();
  const tags = tagChoices(rows);
  const shownTag = tag !== undefined && tags.some((choice) => choice.tag === tag) ? tag : undefined;
  const query = { sort, text, states, tag: shownTag };
  const ordered = layout === 'table' ? orderTable(rows, { ...query, sort: 'worst' }, tableSort) : orderOverview(rows, query);
  // Without a single tag in the fleet there is nothing to group by.
  const grouped = overviewGrouping === 'tag' && tags.length > 0;
  const groups = grouped ? groupByTag(ordered) : undefined;
  const setLayout = (next: Settings['overviewLayout']): void => void store.saveSettings({ ...store.settings, overviewLayout: next });
  const setGrouping = (next: Settings['overviewGrouping']): void => void store.saveSettings({ ...store.settings, overviewGrouping: next });
  const toggleGroup = useCallback(
    (key: string): void => {
      const collapsed = store.settings.collapsedGroups;
      void store.saveSettings({ ...store.settings, collapsedGroups: collapsed.includes(key) ? collapsed.filter((known) => known !== key) : [...collapsed, key] });
    },
    [store],
  );
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
        {tags.length > 0 && (
          <label className="sort">
            <span>Tag</span>
            <select value={shownTag ?? ''} onChange={(event) => setTag(event.target.value || undefined)} aria-label="Show tag">
              <option value="">All tags</option>
              {tags.map((choice) => (
                <option key={choice.tag} value={choice.tag}>
                  {choice.tag} ({choice.count})
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="toolbar-end">
          {tags.length > 0 && (
            <button type="button" className="button small toggle" aria-pressed={grouped} onClick={() => setGrouping(grouped ? 'none' : 'tag')}>
              Group by tag
            </button>
          )}
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
        <FleetTable items={tableItems(ordered, groups, collapsedGroups)} store={store} sort={tableSort} onSort={sortBy} onOpen={open} onToggleGroup={toggleGroup} />
      ) : groups ? (
        groups.map((group) => {
          const collapsed = collapsedGroups.includes(group.key);
          return (
            <section key={group.key} className="host-group" aria-label={groupLabel(group)}>
              <GroupHead as="h2" group={group} collapsed={collapsed} onToggle={toggleGroup} />
              {!collapsed && <CardGrid rows={group.rows} store={store} onOpen={open} />}
            </section>
          );
        })
      ) : (
        <CardGrid rows={ordered} store={store} onOpen={open} />
      )}
    </div>
  );
}

function CardGrid({ rows, store, onOpen }: { rows: readonly HostRow[]; store: AppStore; onOpen(hostKey: string): void }) {
  return (
    <div className="card-grid">
      {rows.map((row) => (
        <HostCard key={row.machine.key} {...cardHead(row)} store={store} onOpen={onOpen} />
      ))}
    </div>
  );
}
