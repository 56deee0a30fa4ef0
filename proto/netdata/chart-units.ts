// Netdata names each chart's unit in its `units` field, and collectors differ (the python.d GPU collector says
// MiB where the go.d one says B): every value is converted through the unit its chart states, never an assumed
// one, and a chart in a unit not listed here is not read.

// Maps, not objects: a server's unit of "constructor" must find nothing.
const BYTES = new Map(Object.entries({ b: 1, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 }));
const BYTES_PER_SECOND = new Map(Object.entries({ 'b/s': 1, 'kib/s': 2 ** 10, 'mib/s': 2 ** 20, 'kilobits/s': 1000 / 8, 'megabits/s': 1e6 / 8, 'gigabits/s': 1e9 / 8 }));
const PERCENT = new Set(['percentage', 'percent', '%']);
const CELSIUS = new Set(['celsius', '°c']);
const WATTS = new Set(['watts', 'watt', 'w']);

const key = (units: string): string => units.trim().toLowerCase();

/** Bytes per unit of a size chart (MiB, GiB, ...), or undefined. */
export function bytesPerUnit(units: string): number | undefined {
  return BYTES.get(key(units));
}

/** Bytes per second per unit of a rate chart (kilobits/s, ...), or undefined. */
export function bytesPerSecondPerUnit(units: string): number | undefined {
  return BYTES_PER_SECOND.get(key(units));
}

export function isPercent(units: string): boolean {
  return PERCENT.has(key(units));
}

export function isCelsius(units: string): boolean {
  return CELSIUS.has(key(units));
}

export function isWatts(units: string): boolean {
  return WATTS.has(key(units));
}
