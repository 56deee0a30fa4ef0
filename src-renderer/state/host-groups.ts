// The overview grouped by tag: a host appears under each of its tags (a GPU box in "gpu" and in "rack-3"),
// hosts without tags last; each group knows its worst state and how many hosts it holds in each state.
// Also what the tag filter offers, and the table's rows with group headers between them. Pure.

import type { FleetHostState } from '../platform/platform';
import { STATE_RANK } from './host-state';
import type { OverviewRow } from './overview-order';

export interface HostGroup<Row extends OverviewRow> {
  /** Lower-case tag; '' for the hosts without tags. What the settings keep for a collapsed group. */
  key: string;
  /** The tag as first spelled; undefined for the hosts without tags. */
  tag: string | undefined;
  rows: Row[];
  worst: FleetHostState;
  /** Hosts per state, worst first; states with none left out. */
  counts: { state: FleetHostState; count: number }[];
}

export const UNTAGGED_KEY = '';

const NAMES = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** `rows` in their overview order; each group keeps it. */
export function groupByTag<Row extends OverviewRow>(rows: readonly Row[]): HostGroup<Row>[] {
  const groups = new Map<string, { tag: string | undefined; rows: Row[] }>();
  const add = (key: string, tag: string | undefined, row: Row): void => {
    const group = groups.get(key);
    if (group) group.rows.push(row);
    else groups.set(key, { tag, rows: [row] });
  };
  for (const row of rows) {
    if (row.machine.tags.length === 0) add(UNTAGGED_KEY, undefined, row);
    for (const tag of row.machine.tags) add(tag.toLowerCase(), tag, row);
  }
  return [...groups]
    .sort(([a], [b]) => (a === UNTAGGED_KEY ? 1 : b === UNTAGGED_KEY ? -1 : NAMES.compare(a, b)))
    .map(([key, { tag, rows: members }]) => ({ key, tag, rows: members, ...stateCounts(members) }));
}

function stateCounts(rows: readonly OverviewRow[]): { worst: FleetHostState; counts: { state: FleetHostState; count: number }[] } {
  const counts = new Map<FleetHostState, number>();
  for (const row of rows) counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
  const ordered = [...counts].sort(([a], [b]) => STATE_RANK[a] - STATE_RANK[b]).map(([state, count]) => ({ state, count }));
  return { worst: ordered[0]?.state ?? 'ok', counts: ordered };
}

/** Every tag of these hosts once, by name, with how many hosts carry it: what the tag filter offers. */
export function tagChoices(rows: readonly OverviewRow[]): { tag: string; count: number }[] {
  const byKey = new Map<string, { tag: string; count: number }>();
  for (const row of rows) {
    for (const tag of row.machine.tags) {
      const known = byKey.get(tag.toLowerCase());
      if (known) known.count += 1;
      else byKey.set(tag.toLowerCase(), { tag, count: 1 });
    }
  }
  return [...byKey.values()].sort((a, b) => NAMES.compare(a.tag, b.tag));
}

export type TableItem<Row extends OverviewRow> =
  | { kind: 'host'; key: string; row: Row }
  | { kind: 'group'; key: string; group: HostGroup<Row>; collapsed: boolean };

/** The table's rows: the hosts alone, or each group's header followed by its hosts unless it is collapsed. */
export function tableItems<Row extends OverviewRow>(rows: readonly Row[], groups: readonly HostGroup<Row>[] | undefined, collapsed: readonly string[]): TableItem<Row>[] {
  if (!groups) return rows.map((row) => ({ kind: 'host', key: row.machine.key, row }));
  const closed = new Set(collapsed);
  return groups.flatMap((group): TableItem<Row>[] => {
    const header: TableItem<Row> = { kind: 'group', key: `group:${group.key}`, group, collapsed: closed.has(group.key) };
    if (closed.has(group.key)) return [header];
    // A host under two tags is two rows: each needs its own key.
    return [header, ...group.rows.map((row): TableItem<Row> => ({ kind: 'host', key: `${group.key}\u0000${row.machine.key}`, row }))];
  });
}
