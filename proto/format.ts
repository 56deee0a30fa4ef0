// Human formatting of model values, shared by the CLI and the UI so both say the same thing.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number | undefined, digits = 1): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '—';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${bytes < 0 ? '-' : ''}${value.toFixed(unit === 0 ? 0 : digits)} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSec: number | undefined): string {
  return bytesPerSec === undefined ? '—' : `${formatBytes(bytesPerSec)}/s`;
}

export function formatPercent(percent: number | undefined, digits = 1): string {
  return percent === undefined || !Number.isFinite(percent) ? '—' : `${percent.toFixed(digits)} %`;
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${Math.floor(seconds)}s`;
}

export function formatTemp(tempC: number | undefined): string {
  return tempC === undefined || !Number.isFinite(tempC) ? '—' : `${Math.round(tempC)} °C`;
}

/** Watts, whole; undefined (not a dash) when unknown, as it is an optional part of a summary. */
export function formatPower(watts: number | undefined): string | undefined {
  return watts === undefined || !Number.isFinite(watts) ? undefined : `${Math.round(watts)} W`;
}

/** "a", "a and b", "a, b and c". */
export function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** "port 3000" or "ports 3000, 3001 and 8060". */
export function listPorts(ports: readonly number[]): string {
  return `${ports.length === 1 ? 'port' : 'ports'} ${joinWithAnd(ports.map(String))}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
