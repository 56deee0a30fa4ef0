// The overview's order and filter: by name ("This computer" first), by a metric (busiest first, "This
// computer" first) or worst first (by state only: an OK "This computer" is not worst); filtered by text, state and tag. Pure. Orders are chosen so cards move only when something
// a person would notice changes, never with every reading.

import { PROTOCOLS } from '../../proto/protocols';
import type { FleetHostState } from '../platform/platform';
import type { Machine } from '../../fleet/fleet';
import { gpuPercent, STATE_RANK } from './host-state';
import { hasTag } from '../../fleet/tags';

export const SORT_KEYS = ['worst', 'name', 'cpu', 'memory', 'gpu'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const SORT_LABELS: Record<SortKey, string> = { worst: 'Worst first', name: 'Name', cpu: 'CPU', memory: 'Memory', gpu: 'GPU' };

export interface OverviewQuery {
  sort: SortKey;
  text: string;
  /** Empty means every state. */
  states: readonly FleetHostState[];
  /** Only hosts with this tag (compared without case); undefined means every host. */
  tag?: string | undefined;
}

export interface OverviewRow {
  machine: Machine;
  state: FleetHostState;
}

function metric(row: OverviewRow, key: 'cpu' | 'memory' | 'gpu'): number | undefined {
  if (row.machine.status !== 'online') return undefined;
  if (key === 'cpu') return row.machine.sample?.cpu?.totalPercent;
  if (key === 'memory') return row.machine.sample?.memory?.usedPercent;
  return gpuPercent(row.machine);
}

/** Values this close sort by name instead, so cards do not swap places at every reading. */
export const SORT_BUCKET_PERCENT = 5;

/** Descending by bucket, hosts without the value last. */
function byMetric(a: number | undefined, b: number | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return Math.floor(b / SORT_BUCKET_PERCENT) - Math.floor(a / SORT_BUCKET_PERCENT);
}

export function matchesText(machine: Machine, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  const haystack = [machine.name, machine.info?.hostname, machine.sourceName, machine.local ? 'this computer' : '', ...machine.protocols.map((id) => PROTOCOLS[id].label), ...machine.tags];
  return haystack.some((field) => field?.toLowerCase().includes(needle));
}

/** One collator for every sort: localeCompare with options builds one per call, 50 hosts × log 50 per redraw. */
const NAMES = new Intl.Collator(undefined, { numeric: true });

export function orderOverview<Row extends OverviewRow>(rows: readonly Row[], query: OverviewQuery): Row[] {
  const filtered = rows.filter((row) => matchesText(row.machine, query.text) && (query.states.length === 0 || query.states.includes(row.state)) && (query.tag === undefined || hasTag(row.machine.tags, query.tag)));
  const byName = (a: Row, b: Row): number => NAMES.compare(a.machine.name, b.machine.name) || NAMES.compare(a.machine.key, b.machine.key);
  const compare = (a: Row, b: Row): number => {
    if (query.sort !== 'worst' && a.machine.local !== b.machine.local) return a.machine.local ? -1 : 1;
    switch (query.sort) {
      case 'name':
        return byName(a, b);
      case 'worst':
        // Within a state, by name: a state change moves a card, a busy second does not.
        return STATE_RANK[a.state] - STATE_RANK[b.state] || byName(a, b);
      default:
        return byMetric(metric(a, query.sort), metric(b, query.sort)) || byName(a, b);
    }
  };
  return filtered.sort(compare);
}
