// The CPU's temperature: the first sensor of a CPU's hwmon chip (coretemp's package, k10temp's Tctl,
// zenpower's Tdie), hottest socket first; else a thermal zone, one named for the CPU before the others.

import type { Exposition, ExpositionSeries } from './exposition';
import { celsius, labelIndex, labelText, seriesOf } from './series-values';

export const TEMPERATURE_METRIC_NAMES = ['node_hwmon_temp_celsius', 'node_hwmon_chip_names', 'node_thermal_zone_temp'] as const;

const CPU_CHIPS = new Set(['coretemp', 'k10temp', 'k8temp', 'zenpower', 'cpu_thermal']);
const CPU_ZONE = /cpu|pkg|soc/i;

export function readCpuTemperature(exposition: Exposition): number | undefined {
  return hwmonTemperature(exposition) ?? thermalZoneTemperature(exposition);
}

function hwmonTemperature(exposition: Exposition): number | undefined {
  const cpuChips = new Set<string>();
  for (const series of seriesOf(exposition, 'node_hwmon_chip_names')) {
    const chip = labelText(series, 'chip');
    const name = labelText(series, 'chip_name');
    if (chip && name && CPU_CHIPS.has(name)) cpuChips.add(chip);
  }
  const firstSensors = new Map<string, { sensor: number; tempC: number }>();
  for (const series of seriesOf(exposition, 'node_hwmon_temp_celsius')) {
    const chip = labelText(series, 'chip');
    const sensor = sensorNumber(series);
    const tempC = celsius(series.value);
    if (!chip || !cpuChips.has(chip) || sensor === undefined || tempC === undefined) continue;
    const known = firstSensors.get(chip);
    if (!known || sensor < known.sensor) firstSensors.set(chip, { sensor, tempC });
  }
  return maxOf([...firstSensors.values()].map((first) => first.tempC));
}

function thermalZoneTemperature(exposition: Exposition): number | undefined {
  const zones = seriesOf(exposition, 'node_thermal_zone_temp')
    .map((series) => ({ zone: labelIndex(series, 'zone') ?? Infinity, cpu: CPU_ZONE.test(labelText(series, 'type') ?? ''), tempC: celsius(series.value) }))
    .filter((zone): zone is { zone: number; cpu: boolean; tempC: number } => zone.tempC !== undefined);
  const cpuZones = zones.filter((zone) => zone.cpu);
  if (cpuZones.length > 0) return maxOf(cpuZones.map((zone) => zone.tempC));
  return zones.sort((a, b) => a.zone - b.zone)[0]?.tempC;
}

/** `temp3` → 3. */
function sensorNumber(series: ExpositionSeries): number | undefined {
  const match = /^temp(\d{1,4})$/.exec(series.labels.sensor ?? '');
  return match ? Number(match[1]) : undefined;
}

function maxOf(values: number[]): number | undefined {
  return values.length > 0 ? Math.max(...values) : undefined;
}
