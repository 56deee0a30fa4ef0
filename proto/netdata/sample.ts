// One poll's allmetrics answer into a Sample. Pure and total: a chart that is missing, in a unit we do not
// know or out of range leaves its fields out; an answer that is not Netdata's says why.

import type { Sample } from '../model';
import { parseAllmetrics } from './charts';
import { cpuSample } from './cpu';
import { cpuTemperatureC } from './cpu-temperature';
import { diskSamples } from './disks';
import { gpuSamples } from './gpus';
import { memorySample } from './memory';
import { networkSample } from './network';

/** No machine has been up this long (a thousand years): a larger uptime is a broken answer. */
const MAX_UPTIME_SEC = 3.2e10;

/** The sample, or undefined when no chart it reads has a value yet (Netdata's first second answers `{}`). */
export function decodeAllmetrics(body: string, timeMs: number): { sample: Sample | undefined } | { problem: string } {
  const parsed = parseAllmetrics(body);
  if ('problem' in parsed) return parsed;
  const { charts } = parsed;
  const readings: Omit<Sample, 'timeMs'> = {};
  const cpu = cpuSample(charts);
  const tempC = cpuTemperatureC(charts);
  if (cpu) readings.cpu = tempC === undefined ? cpu : { ...cpu, tempC };
  const memory = memorySample(charts);
  if (memory) readings.memory = memory;
  const disks = diskSamples(charts);
  if (disks.length > 0) readings.disks = disks;
  const network = networkSample(charts);
  if (network) readings.network = network;
  const gpus = gpuSamples(charts);
  if (gpus.length > 0) readings.gpus = gpus;
  const uptime = charts.get('system.uptime');
  const uptimeSec = uptime?.units === 'seconds' ? uptime.values.get('uptime') : undefined;
  if (uptimeSec !== undefined && uptimeSec >= 0 && uptimeSec < MAX_UPTIME_SEC) readings.uptimeSec = Math.floor(uptimeSec);
  return { sample: Object.keys(readings).length > 0 ? { timeMs, ...readings } : undefined };
}
