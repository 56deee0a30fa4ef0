import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HttpAnswer } from '../http-source';
import { readInstantVector, sampleValue } from './answer';
import { decodeFleet, MAX_HOSTS, type FleetReading } from './decode';
import { PART_LABEL } from './promql';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const MIB = 1024 * 1024;
const WHAT = "FleetWatch's query";
const NODE_EXPORTER = '127.0.0.1:40589';
const AGENT = '127.0.0.1:37909';

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (body: string): HttpAnswer => ({ status: 200, contentType: 'application/json', body });
const decode = (body: string, nowMs = 0): FleetReading => decodeFleet(readInstantVector(json(body), WHAT), nowMs);

type Labels = Record<string, string>;
/** An answer to the fleet query holding these series, as Prometheus writes them. */
function answer(...series: [part: string, labels: Labels, value: string][]): string {
  const result = series.map(([part, labels, value]) => ({ metric: { ...labels, [PART_LABEL]: part }, value: [1_796_504_789.259, value] }));
  return JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
}
const host = (instance: string): [string, Labels, string][] => [
  ['uname', { __name__: 'node_uname_info', instance, nodename: `node-${instance}`, sysname: 'Linux' }, '1'],
  ['up', { instance }, '1'],
];

/** Every number anywhere in a value, for the rule that no NaN or Infinity reaches a Sample. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(numbersIn);
}

describe('Prometheus fleet answer: recorded from Prometheus 2.42 scraping node_exporter 1.5 and our agent', () => {
  it('gives one host per instance with node_uname_info: its facts, its up status and its figures in model units', () => {
    const fleet = decode(fixture('prometheus-2.42.0-fleet.json'));
    expect(fleet.targetCount).toBe(2);
    expect(fleet.hosts.map((host) => host.id)).toEqual([AGENT, NODE_EXPORTER]);
    const [agent, nodeExporter] = fleet.hosts;
    const timeMs = 1_796_504_789_259;
    const memoryUsed = 25_276_157_952 - 24_417_964_032;
    expect(nodeExporter).toEqual({
      id: NODE_EXPORTER,
      info: { id: NODE_EXPORTER, hostname: 'vm', os: { name: 'Linux', kernel: '6.18.44-fc-v1272', arch: 'x86_64' }, memoryTotalBytes: 25_276_157_952 },
      online: true,
      sample: {
        timeMs,
        cpu: { totalPercent: (97.36369999999313 + 96.785) / 2, perCorePercent: [97.36369999999313, 96.785], load: [0.83, 1.17, 1.06] },
        memory: { usedPercent: (memoryUsed / 25_276_157_952) * 100, totalBytes: 25_276_157_952, usedBytes: memoryUsed, swapTotalBytes: 0, swapUsedBytes: 0 },
        disks: [
          {
            name: '/dev/vda',
            mountPoint: '/',
            fsType: 'ext4',
            totalBytes: 270_553_174_016,
            usedBytes: 270_553_174_016 - 82_295_918_592,
            availableBytes: 82_295_918_592,
            usedPercent: ((270_553_174_016 - 82_295_918_592) / 270_553_174_016) * 100,
          },
        ],
        network: { rxBytesPerSec: 0, txBytesPerSec: 0 },
        // node_time_seconds (its own clock at the scrape) minus node_boot_time_seconds.
        uptimeSec: Math.floor(1_796_504_789.1955512 - 1_796_464_011),
      },
    });
    expect(agent!.info).toEqual({
      id: AGENT,
      hostname: 'vm',
      os: { name: 'Debian GNU/Linux', kernel: '6.18.44-fc-v1272', arch: 'x64' },
      memoryTotalBytes: 25_276_157_952,
      gpus: [
        { index: 0, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA' },
        { index: 1, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA' },
      ],
    });
    expect(agent!.sample!.gpus).toEqual([
      { index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryUsedBytes: 31_245 * MIB, memoryTotalBytes: 49_140 * MIB, tempC: 71, powerWatts: 243.51 },
      { index: 1, name: 'NVIDIA RTX A6000', utilizationPercent: 12, memoryUsedBytes: 2210 * MIB, memoryTotalBytes: 49_140 * MIB, tempC: 44, powerWatts: 38.02 },
    ]);
    // Our agent exports no node_time_seconds: the uptime runs to the evaluation time.
    expect(agent!.sample!.uptimeSec).toBe(Math.floor(1_796_504_789.259 - 1_796_464_012));
    expect(agent!.sample!.cpu?.perCorePercent).toEqual([98.50400000001271, 97.84949999999274]);
  });

  it('keeps a host whose node_exporter went down, offline, named by its last node_uname_info', () => {
    const fleet = decode(fixture('prometheus-2.42.0-fleet-node-exporter-down.json'));
    const nodeExporter = fleet.hosts.find((host) => host.id === NODE_EXPORTER)!;
    expect(nodeExporter.online).toBe(false);
    expect(nodeExporter.info).toEqual({ id: NODE_EXPORTER, hostname: 'vm', os: { name: 'Linux', kernel: '6.18.44-fc-v1272', arch: 'x86_64' } });
    // Its gauges went stale at once; its rates run on for a rate window, which the client does not report.
    expect(nodeExporter.sample?.memory).toBeUndefined();
    expect(nodeExporter.sample?.cpu?.totalPercent).toBeGreaterThan(0);
    expect(fleet.hosts.find((host) => host.id === AGENT)).toMatchObject({ online: true, sample: { memory: { totalBytes: 25_276_157_952 } } });
  });

  it("turns Prometheus' error answer into an Error naming the query and Prometheus' reason", () => {
    expect(() => decode(fixture('prometheus-2.42.0-bad-job-regex-http-400.json'))).toThrow(
      "Prometheus could not run FleetWatch's query (bad_data): invalid parameter \"query\": 1:46: parse error: error parsing regexp: missing closing ): `^(?:()$`",
    );
  });
});

describe('Prometheus fleet answer: hostile input', () => {
  it("refuses an HTML page, truncated JSON and other servers' JSON with a sentence saying what was expected", () => {
    expect(() => readInstantVector({ status: 200, contentType: 'text/html', body: fixture('node-exporter-1.5-answer-to-buildinfo.html') }, WHAT)).toThrow(/an HTML page, not Prometheus' JSON/);
    expect(() => decode(fixture('prometheus-2.42.0-fleet.json').slice(0, 3000))).toThrow(/is not Prometheus' JSON/);
    expect(() => decode(fixture('glances-3.3.1.1-cpu.json'))).toThrow(/is not Prometheus' JSON/);
    expect(() => decode(fixture('netdata-1.37.1-info.json'))).toThrow(/is not Prometheus' JSON/);
    expect(() => decode(fixture('prometheus-2.42.0-buildinfo.json'))).toThrow(/JSON but not an instant vector/);
    expect(() => decode('{"status":"success","data":{"resultType":"matrix","result":[]}}')).toThrow(/JSON but not an instant vector/);
    expect(() => decode('{"status":"error"}')).toThrow("Prometheus could not run FleetWatch's query: it gave no reason");
  });

  it('reads only finite numbers from value strings: NaN, ±Inf, empty and hexadecimal are dropped', () => {
    expect(['1', '-2.5', '1e3', '.5', '+7', '96.785'].map(sampleValue)).toEqual([1, -2.5, 1000, 0.5, 7, 96.785]);
    expect(['NaN', '+Inf', '-Inf', 'Inf', '', ' ', ' 1', '0x10', '1e400', '1,5'].map(sampleValue)).toEqual(Array(10).fill(undefined));
  });

  it('puts no NaN or Infinity in a sample, whatever the value strings, and drops absurd figures', () => {
    const instance = 'h:9100';
    const fleet = decode(
      answer(
        ...host(instance),
        ['core', { instance, cpu: '0' }, 'NaN'],
        ['core', { instance, cpu: '1' }, '+Inf'],
        ['core', { instance, cpu: '2' }, '-3'],
        ['core', { instance, cpu: '3' }, '100.4'],
        ['gauge', { __name__: 'node_memory_MemTotal_bytes', instance }, '1e300'],
        ['gauge', { __name__: 'node_memory_MemAvailable_bytes', instance }, '-Inf'],
        ['gauge', { __name__: 'node_load1', instance }, 'NaN'],
        ['gauge', { __name__: 'node_load5', instance }, '1'],
        ['gauge', { __name__: 'node_load15', instance }, '1'],
        ['gauge', { __name__: 'node_boot_time_seconds', instance }, '+Inf'],
        ['filesystem', { __name__: 'node_filesystem_size_bytes', instance, mountpoint: '/', device: 'sda1' }, '0'],
        ['filesystem', { __name__: 'node_filesystem_avail_bytes', instance, mountpoint: '/', device: 'sda1' }, '5'],
        ['receive', { instance }, '-Inf'],
        ['transmit', { instance }, '12.6'],
        ['gpu', { __name__: 'DCGM_FI_DEV_GPU_UTIL', instance, gpu: '0' }, '1e9'],
        ['gpu', { __name__: 'DCGM_FI_DEV_GPU_TEMP', instance, gpu: '0' }, '100000'],
        ['gpu', { __name__: 'DCGM_FI_DEV_POWER_USAGE', instance, gpu: '0' }, '-5'],
        ['gpu', { __name__: 'DCGM_FI_DEV_FB_USED', instance, gpu: '0' }, 'NaN'],
      ),
    );
    const sample = fleet.hosts[0]!.sample!;
    expect(numbersIn(sample).every(Number.isFinite)).toBe(true);
    // Rates jitter past 0 and 100 and are clamped; NaN and +Inf cores are gone.
    expect(sample.cpu).toEqual({ totalPercent: 50, perCorePercent: [0, 100] });
    expect(sample.memory).toBeUndefined();
    expect(sample.disks).toBeUndefined();
    expect(sample.uptimeSec).toBeUndefined();
    expect(sample.network).toEqual({ txBytesPerSec: 13 });
    expect(sample.gpus).toEqual([{ index: 0, utilizationPercent: 100 }]);
    expect(fleet.hosts[0]!.info.memoryTotalBytes).toBeUndefined();
  });

  it('skips a series without an instance, without a part, or malformed, and keeps the rest of the answer', () => {
    const good = JSON.parse(answer(...host('a:9100'), ['gauge', { __name__: 'node_load1', instance: 'a:9100' }, '1'])) as { data: { result: unknown[] } };
    good.data.result.push(
      { metric: { [PART_LABEL]: 'uname', __name__: 'node_uname_info', nodename: 'no-instance' }, value: [1, '1'] },
      { metric: { __name__: 'node_uname_info', instance: 'b:9100', nodename: 'no-part' }, value: [1, '1'] },
      { metric: { [PART_LABEL]: 'uname', instance: 'c:9100', nodename: 7 }, value: [1, '1'] },
      { metric: { [PART_LABEL]: 'uname', instance: 'd:9100' }, value: ['1', 1] },
      { metric: { [PART_LABEL]: 'uname', instance: 'e:9100' } },
      { metric: { [PART_LABEL]: 'gauge', __name__: '__proto__', instance: 'a:9100' }, value: [1, '5'] },
      { metric: { [PART_LABEL]: 'core', instance: 'a:9100', cpu: '-1' }, value: [1, '5'] },
      { metric: { [PART_LABEL]: 'gpu', __name__: 'DCGM_FI_DEV_GPU_UTIL', instance: 'a:9100', gpu: 'x' }, value: [1, '5'] },
      null,
      'series',
    );
    const fleet = decode(JSON.stringify(good));
    expect(fleet.hosts.map((host) => host.id)).toEqual(['a:9100']);
    expect(fleet.hosts[0]!.sample).toBeUndefined();
    expect(fleet.hosts[0]!.info).toEqual({ id: 'a:9100', hostname: 'node-a:9100', os: { name: 'Linux' } });
  });

  it("counts a filesystem as df does where node_exporter exports its free bytes: root's reserve is neither used nor available", () => {
    const disk = (free?: string) =>
      decode(
        answer(
          ...host('n:9100'),
          ['filesystem', { __name__: 'node_filesystem_size_bytes', instance: 'n:9100', mountpoint: '/', device: 'sda1', fstype: 'ext4' }, '100'],
          ['filesystem', { __name__: 'node_filesystem_avail_bytes', instance: 'n:9100', mountpoint: '/', device: 'sda1', fstype: 'ext4' }, '40'],
          ...(free ? [['filesystem', { __name__: 'node_filesystem_free_bytes', instance: 'n:9100', mountpoint: '/', device: 'sda1', fstype: 'ext4' }, free] as [string, Labels, string]] : []),
        ),
      ).hosts[0]!.sample!.disks![0];
    expect(disk('50')).toMatchObject({ totalBytes: 100, usedBytes: 50, availableBytes: 40, usedPercent: (50 / 90) * 100 });
    expect(disk()).toMatchObject({ totalBytes: 100, usedBytes: 60, availableBytes: 40, usedPercent: 60 });
  });

  it('refuses more hosts than one source shows, saying how to narrow it, and bounds cores, filesystems and GPUs per host', () => {
    const many = Array.from({ length: MAX_HOSTS + 1 }, (_, index) => host(`10.0.${index >> 8}.${index & 255}:9100`)).flat();
    expect(() => decode(answer(...many))).toThrow(`Prometheus lists ${MAX_HOSTS + 1} node_exporter instances, more than the ${MAX_HOSTS} one source shows: narrow it to some jobs with ?job=<regex> in its address`);

    const instance = 'big:9100';
    const fleet = decode(
      answer(
        ...host(instance),
        ...Array.from({ length: 5000 }, (_, cpu): [string, Labels, string] => ['core', { instance, cpu: String(cpu) }, '50']),
        ...Array.from({ length: 500 }, (_, index): [string, Labels, string][] => [
          ['filesystem', { __name__: 'node_filesystem_size_bytes', instance, mountpoint: `/m${index}`, device: 'd' }, '10'],
          ['filesystem', { __name__: 'node_filesystem_avail_bytes', instance, mountpoint: `/m${index}`, device: 'd' }, '5'],
        ]).flat(),
        ...Array.from({ length: 500 }, (_, gpu): [string, Labels, string] => ['gpu', { __name__: 'DCGM_FI_DEV_GPU_UTIL', instance, gpu: String(gpu) }, '5']),
      ),
    );
    const sample = fleet.hosts[0]!.sample!;
    expect(sample.cpu?.perCorePercent).toHaveLength(1024);
    expect(sample.disks).toHaveLength(128);
    expect(sample.gpus).toHaveLength(64);
  });

  it('counts the targets of the jobs read, so that an answer without hosts can say why', () => {
    expect(decode(answer(['up', { instance: 'blackbox:9115' }, '1'], ['up', { instance: 'x:1' }, '0']))).toEqual({ hosts: [], targetCount: 2 });
    expect(decode(answer())).toEqual({ hosts: [], targetCount: 0 });
  });
});
