// A CPU temperature from Netdata's sensors charts, whichever collector made them: python.d's
// `sensors.coretemp-isa-0000_temperature`, charts.d's `sensors.temp_<device>_coretemp`, go.d's one chart per
// feature. Only chips that are CPUs count (a disk or board sensor is not the CPU); the package reading wins
// over a core's, else the hottest reading.

import { isCelsius } from './chart-units';
import type { NetdataChart } from './charts';

const CPU_CHIP = /coretemp|k10temp|k8temp|zenpower|cpu[_-]thermal|x86_pkg_temp|soc[_-]thermal/i;
const PACKAGE = /package|tctl|tdie/i;
const MIN_C = -40;
const MAX_C = 150;

export function cpuTemperatureC(charts: ReadonlyMap<string, NetdataChart>): number | undefined {
  let hottest: number | undefined;
  let packageC: number | undefined;
  for (const [id, chart] of charts) {
    if (!id.startsWith('sensors') || !CPU_CHIP.test(id) || !isCelsius(chart.units)) continue;
    for (const [name, value] of chart.valuesByName) {
      if (!(value >= MIN_C && value <= MAX_C)) continue;
      if (packageC === undefined && (PACKAGE.test(name) || PACKAGE.test(id))) packageC = value;
      if (hottest === undefined || value > hottest) hottest = value;
    }
  }
  return packageC ?? hottest;
}
