// The one PromQL query a poll sends: every figure of every host in a single instant query, so a poll costs
// one GET whether Prometheus watches two hosts or two thousand. Each part is tagged with PART_LABEL, which
// keeps `or` from dropping series whose other labels match and tells the decoder which part a series answers.

/** The label each part's series carry in the answer: its key in QUERY_PARTS. */
export const PART_LABEL = 'fleetwatch_part';

/**
 * The window of every rate(). Rates need two scrapes inside it: a minute holds four at Prometheus' usual
 * 15 s interval and still follows a load change within a minute. A target scraped less often than every
 * 30 s gets no rates (CPU, network) at all.
 */
export const RATE_WINDOW = '1m';

/**
 * How long a host stays listed after its node_exporter stops answering. A failed scrape marks its series
 * stale at once, so without a look-back a host that goes down would vanish instead of showing offline.
 */
export const HOST_LOOKBACK = '10m';

/** Filesystems that hold no disk space of their own: memory, overlays, images, kernel views. */
const PSEUDO_FILESYSTEMS = 'tmpfs|devtmpfs|ramfs|rootfs|overlay|squashfs|nsfs|autofs|fuse\\.lxcfs';

const GAUGES = [
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
  'node_memory_SwapTotal_bytes',
  'node_memory_SwapFree_bytes',
  'node_load1',
  'node_load5',
  'node_load15',
  'node_time_seconds',
  'node_boot_time_seconds',
] as const;

const FILESYSTEM_GAUGES = ['node_filesystem_size_bytes', 'node_filesystem_avail_bytes', 'node_filesystem_free_bytes'] as const;

/** NVIDIA's DCGM exporter names, which our agent's /metrics uses too; labels `gpu` (index) and `modelName`. */
const GPU_GAUGES = ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_POWER_USAGE'] as const;

/** Builds a selector from label matchers, each already written as PromQL (`job=~"node"`). */
type Selector = (name: string, ...matchers: string[]) => string;

const QUERY_PARTS = {
  /** node_uname_info: one series per host; its instance label is the host's id. */
  uname: (select: Selector) => `last_over_time(${select('node_uname_info')}[${HOST_LOOKBACK}])`,
  /** 1 while the host's last scrape succeeded; an instance scraped by several jobs is up if any scrape is. */
  up: (select: Selector) => `max by (instance) (${select('up')})`,
  /**
   * Busy share of each core, 0–100; the host's total is their mean. Time waiting on I/O counts as idle, as
   * our agent, node_exporter's reader and Glances count it; `avg by mode` first, so a host two jobs scrape counts once.
   */
  core: (select: Selector) =>
    `100 * (1 - sum by (instance, cpu) (avg by (instance, cpu, mode) (rate(${select('node_cpu_seconds_total', 'mode=~"idle|iowait"')}[${RATE_WINDOW}]))))`,
  gauge: (select: Selector) => select('', nameMatcher(GAUGES)),
  filesystem: (select: Selector) => select('', nameMatcher(FILESYSTEM_GAUGES), `fstype!~${promqlString(PSEUDO_FILESYSTEMS)}`),
  /** Bytes per second over every interface but loopback. */
  receive: (select: Selector) => `sum by (instance) (rate(${select('node_network_receive_bytes_total', 'device!="lo"')}[${RATE_WINDOW}]))`,
  transmit: (select: Selector) => `sum by (instance) (rate(${select('node_network_transmit_bytes_total', 'device!="lo"')}[${RATE_WINDOW}]))`,
  gpu: (select: Selector) => select('', nameMatcher(GPU_GAUGES)),
} as const;

export type QueryPart = keyof typeof QUERY_PARTS;

const QUERY_PARTS_IN_ORDER = Object.keys(QUERY_PARTS) as QueryPart[];

/**
 * The instant query one poll sends. `jobPattern` is the user's `job=` filter, a regular expression over
 * job names (RE2, anchored by Prometheus); absent or empty reads every job.
 */
export function fleetQuery(jobPattern?: string): string {
  const jobMatcher = jobPattern ? [`job=~${promqlString(jobPattern)}`] : [];
  const select: Selector = (name, ...matchers) => `${name}{${[...matchers, ...jobMatcher].join(',')}}`;
  return QUERY_PARTS_IN_ORDER.map((part) => `label_replace(${QUERY_PARTS[part](select)}, "${PART_LABEL}", "${part}", "", "")`).join(' or ');
}

/**
 * A PromQL string literal holding `text` exactly. PromQL reads double-quoted strings with Go's escapes,
 * of which JSON's are a subset, so no filter can end the string early or inject a matcher.
 */
export function promqlString(text: string): string {
  return JSON.stringify(text);
}

function nameMatcher(names: readonly string[]): string {
  return `__name__=~${promqlString(names.join('|'))}`;
}
