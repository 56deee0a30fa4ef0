// The overview as a dense table: one row per host, a bar and the last 5 minutes per busy-ness figure,
// sortable by any column, walked with the keyboard (arrows, Page Up/Down, Home/End; Enter opens the host or
// folds the group). Grouped by tag, each group's header row comes before its hosts.
// Only the rows in view (and a few either side) are in the DOM, so a thousand hosts scroll as smoothly as ten.

import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { formatDuration, formatPercent, formatPower, formatRate, formatTemp } from '../../proto/format';
import type { Machine } from '../../fleet/fleet';
import { COLUMN, gpuMemoryPercent } from '../../fleet/sample-columns';
import type { AppStore, HostRow } from '../state/app-store';
import { isPending, percentLevel } from '../state/host-state';
import type { HostGroup, TableItem } from '../state/host-groups';
import { sourceText, TABLE_COLUMN_LABELS, TABLE_COLUMNS, tableValue, type TableColumn, type TableSort } from '../state/fleet-table';
import { SPARKLINE_WINDOW_MS } from './HostCard';
import { GroupHead } from './GroupHead';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';
import { MACHINE_STATUS_WORDS } from './status-words';

/** Every row is this tall (CSS holds it to it), so the rows in view follow from the scroll offset alone. */
const TABLE_ROW_HEIGHT = 40;
/**
 * The drawn window moves in steps of this many rows, with as many drawn beyond the view either side: a
 * scroll changes the table's DOM (and so its layout) once every eight rows, not at every row.
 */
const WINDOW_STEP_ROWS = 8;
/** Rows drawn before the table has measured its viewport. */
const FIRST_WINDOW_ROWS = 30;

interface RowWindow {
  first: number;
  /** Exclusive; may run past the last row. */
  last: number;
}

function windowAt(scrollTop: number, height: number): RowWindow {
  const step = WINDOW_STEP_ROWS;
  const first = Math.max(0, (Math.floor(scrollTop / TABLE_ROW_HEIGHT / step) - 1) * step);
  const last = (Math.ceil((scrollTop + height) / TABLE_ROW_HEIGHT / step) + 1) * step;
  return { first, last };
}
/**
 * Sparklines wait until scrolling has paused this long: a row scrolled past in a blink would otherwise ask
 * the hub for its history, and a fast scroll through a thousand hosts would ask a thousand times.
 */
const SCROLL_SETTLE_MS = 200;

interface FleetTableProps {
  items: readonly TableItem<HostRow>[];
  store: AppStore;
  sort: TableSort;
  onSort(column: TableColumn): void;
  onOpen(hostKey: string): void;
  onToggleGroup(groupKey: string): void;
}

export function FleetTable({ items: liveItems, store, sort, onSort, onOpen, onToggleGroup }: FleetTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [drawn, setDrawn] = useState<RowWindow>({ first: 0, last: FIRST_WINDOW_ROWS });
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const focusActive = useRef(false);
  const [scrolling, setScrolling] = useState(false);
  const settleTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(settleTimer.current), []);
  // While the table scrolls, its rows hold still (figures and order), and take up the newest once it pauses:
  // a second's update redrawing every row in view mid-scroll is what cost frames. Taken when scrolling starts.
  const [heldItems, setHeldItems] = useState(liveItems);
  const items = scrolling ? heldItems : liveItems;

  // Sets state only when the window moves a step, so most scroll events render nothing at all.
  const measure = useCallback((): void => {
    const element = scrollRef.current;
    if (!element) return;
    const next = windowAt(element.scrollTop, element.clientHeight);
    setDrawn((current) => (current.first === next.first && current.last === next.last ? current : next));
  }, []);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [measure]);

  const activeIndex = Math.max(0, items.findIndex((item) => item.key === activeKey));
  // At the first draw, and when a filter shrinks the list while scrolled down: not only at the next scroll.
  useLayoutEffect(measure, [measure, items.length]);
  const first = Math.min(drawn.first, Math.max(0, items.length - 1));
  const last = Math.min(items.length, drawn.last);

  // The row the keyboard moved to gets focus once it is drawn; scrolling brought it into the window first.
  useEffect(() => {
    if (!focusActive.current) return;
    focusActive.current = false;
    scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${activeIndex}"]`)?.focus();
  });

  const moveTo = (index: number): void => {
    const targetIndex = Math.max(0, Math.min(items.length - 1, index));
    const target = items[targetIndex];
    const element = scrollRef.current;
    if (!target || !element) return;
    // Already there (an arrow at either end): nothing re-renders, so focus now rather than on a later render.
    if (targetIndex === activeIndex) {
      element.querySelector<HTMLElement>(`tr[data-index="${targetIndex}"]`)?.focus();
      return;
    }
    const rowTop = targetIndex * TABLE_ROW_HEIGHT;
    const headHeight = element.querySelector('thead')?.getBoundingClientRect().height ?? TABLE_ROW_HEIGHT;
    if (rowTop < element.scrollTop) element.scrollTop = rowTop;
    else if (rowTop + TABLE_ROW_HEIGHT > element.scrollTop + element.clientHeight - headHeight) element.scrollTop = rowTop + TABLE_ROW_HEIGHT - element.clientHeight + headHeight;
    focusActive.current = true;
    setActiveKey(target.key);
    measure();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableSectionElement>): void => {
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / TABLE_ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: activeIndex + 1, ArrowUp: activeIndex - 1, PageDown: activeIndex + page, PageUp: activeIndex - page, Home: 0, End: items.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
    } else if (event.key === 'Enter' && items[activeIndex]) {
      event.preventDefault();
      const item = items[activeIndex];
      if (item.kind === 'host') onOpen(item.row.machine.key);
      else onToggleGroup(item.group.key);
    }
  };

  const onScroll = (): void => {
    measure();
    if (!scrolling) setHeldItems(liveItems);
    setScrolling(true);
    clearTimeout(settleTimer.current);
    settleTimer.current = setTimeout(() => setScrolling(false), SCROLL_SETTLE_MS);
  };

  // Whole seconds, so a scroll frame leaves the rows already drawn as they are (they are memoized).
  const nowMs = Math.floor(Date.now() / 1000) * 1000;
  return (
    <div className="fleet-table-scroll" ref={scrollRef} onScroll={onScroll} data-first-row={first} data-rows={items.length}>
      <table className="fleet-table" aria-label="Hosts" aria-rowcount={items.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            {TABLE_COLUMNS.map((column) => (
              <th key={column} scope="col" className={`col-${column}`} aria-sort={sort.column === column ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
                <button type="button" onClick={() => onSort(column)}>
                  {TABLE_COLUMN_LABELS[column]}
                  <span className="sort-mark" aria-hidden="true">
                    {sort.column === column ? (sort.descending ? '▼' : '▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {first > 0 && <Spacer rows={first} />}
          {items.slice(first, last).map((item, offset) =>
            item.kind === 'host' ? (
              <TableRow key={item.key} itemKey={item.key} row={item.row} index={first + offset} active={first + offset === activeIndex} store={store} nowMs={nowMs} sparklines={!scrolling} onOpen={onOpen} onFocus={setActiveKey} />
            ) : (
              <GroupRow key={item.key} itemKey={item.key} group={item.group} collapsed={item.collapsed} index={first + offset} active={first + offset === activeIndex} onToggle={onToggleGroup} onFocus={setActiveKey} />
            ),
          )}
          {last < items.length && <Spacer rows={items.length - last} />}
        </tbody>
      </table>
    </div>
  );
}

function Spacer({ rows }: { rows: number }) {
  return (
    <tr className="table-spacer" aria-hidden="true" style={{ height: rows * TABLE_ROW_HEIGHT }}>
      <td colSpan={TABLE_COLUMNS.length} />
    </tr>
  );
}

interface GroupRowProps {
  itemKey: string;
  group: HostGroup<HostRow>;
  collapsed: boolean;
  index: number;
  active: boolean;
  onToggle(groupKey: string): void;
  onFocus(itemKey: string): void;
}

const GroupRow = memo(function GroupRow({ itemKey, group, collapsed, index, active, onToggle, onFocus }: GroupRowProps) {
  return (
    <tr className={`group-row state-${group.worst}`} data-index={index} data-group={group.key} aria-rowindex={index + 2} tabIndex={active ? 0 : -1} onFocus={() => onFocus(itemKey)}>
      <td colSpan={TABLE_COLUMNS.length}>
        <GroupHead as="div" group={group} collapsed={collapsed} onToggle={onToggle} />
      </td>
    </tr>
  );
});

interface TableRowProps {
  itemKey: string;
  row: HostRow;
  index: number;
  active: boolean;
  store: AppStore;
  nowMs: number;
  sparklines: boolean;
  onOpen(hostKey: string): void;
  onFocus(itemKey: string): void;
}

const TableRow = memo(function TableRow({ itemKey, row: { machine, state }, index, active, store, nowMs, sparklines, onOpen, onFocus }: TableRowProps) {
  const online = machine.status === 'online';
  const fromMs = nowMs - SPARKLINE_WINDOW_MS;
  const series = (column: string) => (online && sparklines ? store.fleet.series(machine, column, fromMs) : undefined);
  // The span matters only to a sparkline; without one, the cell's props stay equal from second to second.
  const span = sparklines ? { fromMs, toMs: nowMs } : {};
  const gpuTitle = gpuDetails(machine);
  const source = sourceText(machine);
  return (
    <tr
      className={`state-${state}`}
      data-index={index}
      data-host-key={machine.key}
      aria-rowindex={index + 2}
      tabIndex={active ? 0 : -1}
      onClick={() => onOpen(machine.key)}
      onFocus={() => onFocus(itemKey)}
    >
      <td className="col-name">
        <span className="table-name" title={[machine.name, machine.info?.hostname].filter(Boolean).join(' · ')}>
          {machine.name}
        </span>
        {machine.local && <span className="local-tag">This computer</span>}
      </td>
      <td className="col-status" title={online ? undefined : machine.statusText}>
        <StatusBadge state={state} label={online ? undefined : TABLE_STATUS_WORDS[machine.status]} pending={isPending(machine.status)} />
      </td>
      <PercentCell value={tableValue(machine, 'cpu')} points={series(COLUMN.cpu)} {...span} label={`${machine.name} CPU`} />
      <PercentCell value={tableValue(machine, 'memory')} points={series(COLUMN.memory)} {...span} label={`${machine.name} memory`} />
      <PercentCell value={tableValue(machine, 'disk')} />
      <TextCell column="rx">{formatRate(tableValue(machine, 'rx'))}</TextCell>
      <TextCell column="tx">{formatRate(tableValue(machine, 'tx'))}</TextCell>
      <PercentCell value={tableValue(machine, 'gpu')} points={series(COLUMN.gpuUtilizationMax)} {...span} label={`${machine.name} GPU`} title={gpuTitle} />
      <PercentCell value={tableValue(machine, 'gpuMemory')} title={gpuTitle} />
      <TextCell column="gpuTemp" title={gpuTitle}>
        {formatTemp(tableValue(machine, 'gpuTemp'))}
      </TextCell>
      <TextCell column="load">{formatLoad(tableValue(machine, 'load'))}</TextCell>
      <TextCell column="uptime">{formatDuration(tableValue(machine, 'uptime'))}</TextCell>
      <td className="col-source muted" title={source}>
        {source}
      </td>
    </tr>
  );
});

/** The cards' words, one shortened to fit the column; the cell's tooltip says why. */
const TABLE_STATUS_WORDS: Record<Machine['status'], string> = { ...MACHINE_STATUS_WORDS, 'auth-required': 'Refused' };

interface PercentCellProps {
  value: number | undefined;
  points?: { x: number; y: number }[];
  fromMs?: number;
  toMs?: number;
  label?: string;
  title?: string;
}

/**
 * Memoized like TextCell: the second's update draws again only the cells whose figure moved. A cell
 * with a sparkline gets new points every second; one without (or while scrolling) compares equal.
 */
const PercentCell = memo(function PercentCell({ value, points, fromMs = 0, toMs = 0, label = '', title }: PercentCellProps) {
  if (value === undefined) return <td className="cell-percent cell-missing">—</td>;
  const level = percentLevel(value);
  return (
    <td className={`cell-percent level-${level}`} title={title} data-value={value}>
      <span className="cell-figure">{formatPercent(value, 0)}</span>
      <span className="cell-bar" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(100, value))}%` }} />
      </span>
      {points && points.length > 1 && <Sparkline points={points} fromMs={fromMs} toMs={toMs} label={`${label} over the last 5 minutes`} />}
    </td>
  );
});

const TextCell = memo(function TextCell({ column, title, children }: { column: TableColumn; title?: string; children: ReactNode }) {
  const missing = children === '—';
  return (
    <td className={`col-${column} numeric${missing ? ' cell-missing' : ''}`} title={title}>
      {children}
    </td>
  );
});

function formatLoad(load: number | undefined): string {
  return load === undefined ? '—' : load.toFixed(2);
}

/** Each GPU on its own line, for the GPU cells' tooltip; undefined without GPUs. */
function gpuDetails(machine: Machine): string | undefined {
  const gpus = machine.sample?.gpus;
  if (!gpus || gpus.length === 0) return undefined;
  return gpus
    .map((gpu) => {
      const name = machine.info?.gpus?.find((known) => known.index === gpu.index)?.name;
      const parts = [formatPercent(gpu.utilizationPercent, 0), `memory ${formatPercent(gpuMemoryPercent(gpu, machine.info), 0)}`, formatTemp(gpu.tempC), formatPower(gpu.powerWatts) ?? '—'];
      return `GPU ${gpu.index}${name ? ` (${name})` : ''}: ${parts.join(', ')}`;
    })
    .join('\n');
}
