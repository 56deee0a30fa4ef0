// GPUs and CPU temperature come from collectors Debian's Netdata ships off (python.d's nvidia_smi and
// sensors) and this machine has neither GPU nor sensors, so these fixtures are not recordings. Each is built
// from the collector's own chart definitions, with values quoted from a public source:
// - netdata-nvidia-smi-python-d-from-source.json: python.d nvidia_smi.chart.py of Netdata 1.37.1 (ids, contexts,
//   units, the product name in the family), values from the nvidia-smi table in netdata/netdata#10228.
// - netdata-nvidia-smi-go-d-from-source.json: go.d.plugin modules/nvidia_smi/charts.go (later releases), values
//   from that module's collect test for its RTX 3060 and Tesla P100 testdata.
// - netdata-sensors-intel-from-issue.json: the python.d sensors chart Netdata answered in home-assistant/core#22128.
// - netdata-sensors-amd-nvme-from-issue.json: python.d sensors charts for the `sensors` output in netdata/netdata#18396.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { Sample } from '../model';
import { decodeAllmetrics } from './sample';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

function decode(name: string, edit: (answer: Record<string, { units: string; context: string }>) => void = () => {}): Sample | undefined {
  const answer = JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, { units: string; context: string }>;
  edit(answer);
  const decoded = decodeAllmetrics(JSON.stringify(answer), 1);
  if ('problem' in decoded) throw new Error(decoded.problem);
  return decoded.sample;
}

describe('netdata GPU and CPU temperature decoding', () => {
  it("reads python.d's nvidia_smi charts: MiB into bytes, the product name from the family", () => {
    expect(decode('netdata-nvidia-smi-python-d-from-source.json')?.gpus).toEqual([
      { index: 0, name: 'GeForce GTX 960', utilizationPercent: 0, memoryUsedBytes: 43 * 2 ** 20, memoryTotalBytes: 2002 * 2 ** 20, tempC: 30, powerWatts: 10 },
    ]);
  });

  it("reads go.d's nvidia_smi charts: bytes with the reserved share in the total, GPUs in the order Netdata lists them", () => {
    expect(decode('netdata-nvidia-smi-go-d-from-source.json')?.gpus).toEqual([
      { index: 0, utilizationPercent: 0, memoryUsedBytes: 5_242_880, memoryTotalBytes: 6_228_541_440 + 5_242_880 + 206_569_472, tempC: 45, powerWatts: 8 },
      { index: 1, utilizationPercent: 0, memoryUsedBytes: 0, memoryTotalBytes: 17_070_817_280 + 108_003_328, tempC: 38, powerWatts: 26 },
    ]);
  });

  it('leaves out a GPU reading whose chart is in a unit it does not know', () => {
    const gpus = decode('netdata-nvidia-smi-python-d-from-source.json', (answer) => {
      answer['nvidia_smi.gpu0_mem_usage']!.units = 'pages';
      answer['nvidia_smi.gpu0_temperature']!.units = 'fahrenheit';
    })?.gpus;
    expect(gpus).toEqual([{ index: 0, name: 'GeForce GTX 960', utilizationPercent: 0, powerWatts: 10 }]);
  });

  it("takes an Intel CPU's package temperature over its cores'", () => {
    expect(decode('netdata-sensors-intel-from-issue.json')?.cpu).toBeUndefined();
    const answer = JSON.parse(readFileSync(path.join(FIXTURES, 'netdata-sensors-intel-from-issue.json'), 'utf8')) as object;
    const withCpu = { ...answer, 'system.cpu': { units: 'percentage', dimensions: { user: { name: 'user', value: 10 }, idle: { name: 'idle', value: 90 } } } };
    const decoded = decodeAllmetrics(JSON.stringify(withCpu), 1);
    expect('sample' in decoded && decoded.sample?.cpu).toEqual({ totalPercent: 10, tempC: 70 });
  });

  it('takes the package reading even when a core reads hotter', () => {
    const answer = JSON.parse(readFileSync(path.join(FIXTURES, 'netdata-sensors-intel-from-issue.json'), 'utf8')) as Record<string, { dimensions: Record<string, { value: number }> }>;
    answer['sensors.coretemp-isa-0000_temperature']!.dimensions['coretemp-isa-0000_temp2']!.value = 81;
    const withCpu = { ...answer, 'system.cpu': { units: 'percentage', dimensions: { user: { name: 'user', value: 10 }, idle: { name: 'idle', value: 90 } } } };
    const decoded = decodeAllmetrics(JSON.stringify(withCpu), 1);
    expect('sample' in decoded && decoded.sample?.cpu?.tempC).toBe(70);
  });

  it("takes an AMD CPU's Tctl and never the hotter NVMe drive", () => {
    const answer = JSON.parse(readFileSync(path.join(FIXTURES, 'netdata-sensors-amd-nvme-from-issue.json'), 'utf8')) as object;
    const withCpu = { ...answer, 'system.cpu': { units: 'percentage', dimensions: { user: { name: 'user', value: 25 }, idle: { name: 'idle', value: 75 } } } };
    const decoded = decodeAllmetrics(JSON.stringify(withCpu), 1);
    expect('sample' in decoded && decoded.sample?.cpu).toEqual({ totalPercent: 25, tempC: 47 });
  });
});
