// Netdata's `/api/v1/allmetrics?format=json` answer: one object per chart, keyed by chart id, with each
// dimension's latest value. Only the charts the decoders read are validated, so an answer with thousands of
// charts (a host with many containers) costs one pass over its keys. Netdata writes an unset value as null.

import { parseJson } from '../units';

/** One chart, its values in its own `units`. */
export interface NetdataChart {
  id: string;
  /** The grouping Netdata gives it: the mount point of a disk_space chart, the device of a net chart. */
  family?: string;
  context?: string;
  units: string;
  /** Finite values by dimension id; a dimension whose value was null or absent is left out. */
  values: Map<string, number>;
  /** The same values by dimension name, for collectors whose dimension ids carry a device prefix. */
  valuesByName: Map<string, number>;
}

/**
 * The charts we read, as a pattern for `filter=` (Netdata matches it against chart ids and names; a
 * leading `!` excludes, the first match wins). It cuts a 110 KB answer to 6 KB on a bare VM and far more on a
 * host with containers; a server that ignores it only costs bandwidth, because the decoders pick charts by id.
 */
export const CHART_FILTER = [
  '!cpu.cpu*_*',
  'cpu.cpu*',
  'system.cpu',
  'system.ram',
  'system.load',
  'system.uptime',
  'system.net',
  'mem.available',
  'mem.swap',
  'disk_space.*',
  'net.*',
  'sensors*',
  'nvidia_smi*',
].join(' ');

export const ALLMETRICS_PATH = `/api/v1/allmetrics?format=json&filter=${encodeURIComponent(CHART_FILTER)}`;

const WANTED = /^(?:system\.(?:cpu|ram|load|uptime|net)$|mem\.(?:available|swap)$|cpu\.cpu\d+$|disk_space\.|net\.|sensors|nvidia_smi)/;

const MAX_DIMENSIONS = 256;
const MAX_TEXT = 512;

export type AllmetricsResult = { charts: Map<string, NetdataChart> } | { problem: string };

/** Parses an allmetrics answer; `problem` says in words why it is not one. */
export function parseAllmetrics(body: string): AllmetricsResult {
  if (/^\s*</.test(body)) return { problem: 'answered with an HTML page, not Netdata\'s JSON: is this Netdata\'s port?' };
  const parsed = parseJson(body);
  if (parsed === undefined) return { problem: 'answered with something that is not JSON (cut short?), not Netdata\'s allmetrics' };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'answered with JSON that is not Netdata\'s allmetrics object' };
  const charts = new Map<string, NetdataChart>();
  let chartShaped = 0;
  for (const [id, raw] of Object.entries(parsed)) {
    if (typeof raw !== 'object' || raw === null || !('dimensions' in raw)) continue;
    chartShaped += 1;
    if (!WANTED.test(id)) continue;
    const chart = chartOf(id, raw);
    if (chart) charts.set(id, chart);
  }
  if (chartShaped === 0 && Object.keys(parsed).length > 0) return { problem: 'answered with JSON that holds no Netdata charts' };
  return { charts };
}

/** Checked by hand rather than by a schema: a server that ignores the filter may send tens of thousands. */
function chartOf(id: string, raw: { dimensions?: unknown; units?: unknown; family?: unknown; context?: unknown }): NetdataChart | undefined {
  const { dimensions, units } = raw;
  if (typeof units !== 'string' || units.length > MAX_TEXT || typeof dimensions !== 'object' || dimensions === null) return undefined;
  const values = new Map<string, number>();
  const valuesByName = new Map<string, number>();
  for (const [dimensionId, dimension] of Object.entries(dimensions).slice(0, MAX_DIMENSIONS)) {
    const { name, value } = (typeof dimension === 'object' && dimension !== null ? dimension : {}) as { name?: unknown; value?: unknown };
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;
    values.set(dimensionId, value);
    valuesByName.set(typeof name === 'string' && name.length <= MAX_TEXT ? name : dimensionId, value);
  }
  return { id, family: shortText(raw.family), context: shortText(raw.context), units, values, valuesByName };
}

function shortText(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= MAX_TEXT ? value : undefined;
}
