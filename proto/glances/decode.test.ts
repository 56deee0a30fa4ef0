import { describe, expect, it } from 'vitest';
import type { GlancesPlugin } from './api';
import { decodeCpuTemperature, decodeGpus, decodeNetwork } from './decode-devices';
import { decodeProcesses } from './decode-processes';
import { decodeUptime } from './decode-readings';
import { parseGlancesJson } from './python-json';
import { decodePoll, type PluginAnswers } from './sample';
import { fixture } from './test-glances-stand-in';

const TIME_MS = 1_796_000_000_000;
const V3_PLUGINS: GlancesPlugin[] = ['system', 'quicklook', 'cpu', 'percpu', 'mem', 'memswap', 'load', 'fs', 'network', 'sensors', 'gpu', 'uptime', 'processlist'];
const V4_PLUGINS: GlancesPlugin[] = ['system', 'quicklook', 'cpu', 'percpu', 'mem', 'memswap', 'load', 'fs', 'network', 'sensors', 'uptime', 'processlist'];

function answersFrom(prefix: string, plugins: GlancesPlugin[]): PluginAnswers {
  return Object.fromEntries(plugins.map((plugin) => [plugin, parseGlancesJson(fixture(`${prefix}${plugin}.json`))]));
}

function decode(answers: PluginAnswers, knownCores?: number) {
  return decodePoll(answers, { timeMs: TIME_MS, knownCores, pathOf: (plugin) => `/api/3/${plugin}` });
}

describe('decoding the answers recorded from Glances 3.3.1.1', () => {
  const { sample, facts } = decode(answersFrom('glances-3.3.1.1-', V3_PLUGINS));

  it('reads CPU total, per-core, load and uptime', () => {
    expect(sample.timeMs).toBe(TIME_MS);
    expect(sample.cpu).toEqual({ totalPercent: 43.8, perCorePercent: [48.4, 39.0], load: [2.50537109375, 1.30029296875, 1.044921875] });
    expect(sample.uptimeSec).toBe(11 * 3600 + 15 * 60 + 10);
  });

  it('reads memory as total − available, and a machine without swap as zero swap', () => {
    const usedBytes = 25_276_157_952 - 24_364_982_272;
    expect(sample.memory).toEqual({ usedPercent: (usedBytes / 25_276_157_952) * 100, totalBytes: 25_276_157_952, usedBytes, swapTotalBytes: 0, swapUsedBytes: 0 });
  });

  it('reads each filesystem once with its mount point, type and sizes in bytes: a bind mount of the same device (/run/netns) is not a second disk', () => {
    expect(sample.disks).toEqual([
      { name: '/dev/vda', mountPoint: '/', fsType: 'ext4', totalBytes: 270_553_174_016, usedBytes: 26_630_627_328, availableBytes: 82_313_666_560, usedPercent: 24.4 },
    ]);
  });

  it('reads network interfaces without lo and the interfaces that are down, rates from bytes per refresh', () => {
    expect(sample.network).toEqual({
      interfaces: [{ name: 'eth0', rxBytes: 2_345_384_115, txBytes: 9_555_889, rxBytesPerSec: 0, txBytesPerSec: 0 }],
      rxBytesPerSec: 0,
      txBytesPerSec: 0,
      rxTotalBytes: 2_345_384_115,
      txTotalBytes: 9_555_889,
    });
  });

  it('fills no GPU and no temperature from the empty sensors and gpu lists of a VM', () => {
    expect(sample.gpus).toBeUndefined();
    expect(sample.cpu?.tempC).toBeUndefined();
  });

  it('reads the busiest processes with CPU as a share of both cores and the resident size from the memory tuple', () => {
    expect(sample.processCount).toBe(4);
    expect(sample.processes?.map(({ pid, name, cpuPercent, memoryBytes, user }) => ({ pid, name, cpuPercent, memoryBytes, user }))).toEqual([
      { pid: 28000, name: 'glances', cpuPercent: 2.25, memoryBytes: 56_549_376, user: 'root' },
      { pid: 25744, name: 'prometheus-node-exporter', cpuPercent: 0.8, memoryBytes: 21_413_888, user: 'root' },
      { pid: 27983, name: 'MainThread', cpuPercent: 0.8, memoryBytes: 96_124_928, user: 'root' },
      { pid: 83, name: 'kdamond.0', cpuPercent: 0.65, memoryBytes: 0, user: 'root' },
    ]);
    expect(sample.processes?.[0]?.command).toMatch(/^\/usr\/bin\/python3 \/usr\/bin\/glances -C /);
    expect(sample.processes?.[3]?.command).toBeUndefined();
  });

  it('reads the host: name, Debian and its kernel, CPU model and cores, memory', () => {
    expect(facts).toEqual({
      hostname: 'vm',
      os: { name: 'Debian GNU/Linux 12', kernel: '6.18.44-fc-v1272' },
      cpuModel: 'AMD EPYC',
      cores: 2,
      memoryTotalBytes: 25_276_157_952,
    });
  });
});

describe("decoding the sample answers of Glances' v4 documentation", () => {
  const { sample, facts } = decode(answersFrom('glances-4-from-docs-', V4_PLUGINS));

  it('reads CPU, memory, swap, load and uptime', () => {
    expect(sample.cpu).toEqual({ totalPercent: 6.1, perCorePercent: [56, 64], load: [1.02490234375, 0.953125, 0.857421875] });
    const usedBytes = 16_422_453_248 - 6_386_589_696;
    expect(sample.memory).toEqual({ usedPercent: (usedBytes / 16_422_453_248) * 100, totalBytes: 16_422_453_248, usedBytes, swapTotalBytes: 4_294_963_200, swapUsedBytes: 1_747_189_760 });
    expect(sample.uptimeSec).toBe(6 * 86_400 + 19 * 3600 + 58 * 60 + 28);
  });

  it('reads v4 network names: cumulative bytes from the gauges, rates from bytes per refresh', () => {
    expect(sample.network?.interfaces).toEqual([
      { name: 'wlp0s20f3', rxBytes: 7_030_018_451, txBytes: 355_582_043, rxBytesPerSec: 0, txBytesPerSec: 0 },
      { name: 'mpqemubr0', rxBytes: 6_344_095, txBytes: 28_883_093, rxBytesPerSec: 0, txBytesPerSec: 0 },
    ]);
    expect(sample.network?.rxTotalBytes).toBe(7_030_018_451 + 6_344_095);
  });

  it('reads filesystems and processes whose memory_info is an object', () => {
    expect(sample.disks?.map((disk) => [disk.mountPoint, disk.totalBytes, disk.usedBytes, disk.availableBytes])).toEqual([
      ['/', 1_003_736_440_832, 108_992_712_704, 843_681_222_656],
      ['/zsfpool', 41_943_040, 131_072, 41_811_968],
    ]);
    expect(sample.processes?.map((process) => [process.pid, process.memoryBytes, process.user])).toEqual([
      [2939, 934_637_568, 'root'],
      [11631, 852_054_016, 'nicolargo'],
    ]);
  });

  it('takes no CPU temperature from ambient sensors', () => {
    expect(sample.cpu?.tempC).toBeUndefined();
  });

  it('reads the host: Ubuntu with its kernel, the CPU model and its 16 logical cores', () => {
    expect(facts).toEqual({
      hostname: 'nicolargo-xps15',
      os: { name: 'Ubuntu 24.04', kernel: '6.8.0-48-generic' },
      cpuModel: '13th Gen Intel(R) Core(TM) i7-13620H',
      cores: 16,
      memoryTotalBytes: 16_422_453_248,
    });
  });

  it("reads the GPUs of the GPU plugin's own sample, indexed in Glances' order", () => {
    expect(decodeGpus(parseGlancesJson(fixture('glances-4-from-source-gpu.json')))).toEqual([
      { index: 0, name: 'Fake GeForce GTX1', utilizationPercent: 4, tempC: 26 },
      { index: 1, name: 'Fake GeForce GTX1', utilizationPercent: 8, tempC: 65 },
    ]);
  });

  it('prefers the documented per-second rates where a v4 server sends them', () => {
    const network = decodeNetwork([{ interface_name: 'eth0', bytes_recv: 5000, bytes_recv_rate_per_sec: 2500.4, bytes_sent_rate_per_sec: 100, time_since_update: 2 }]);
    expect(network?.interfaces).toEqual([{ name: 'eth0', rxBytesPerSec: 2500, txBytesPerSec: 100 }]);
  });
});

describe('reading the CPU temperature from sensors', () => {
  it('takes the hottest package over the cores, and converts Fahrenheit', () => {
    const sensors = [
      { label: 'Core 0', type: 'temperature_core', unit: 'C', value: 70 },
      { label: 'Package id 0', type: 'temperature_core', unit: 'C', value: 55 },
      { label: 'Package id 1', type: 'temperature_core', unit: 'F', value: 140 },
      { label: 'Composite', type: 'temperature_hdd', unit: 'C', value: 90 },
    ];
    expect(decodeCpuTemperature(sensors)).toEqual({ tempC: 60 });
  });

  it("reads AMD's Tctl, a Raspberry Pi's cpu_thermal, 4.0.4's enum type, and falls back to the hottest core", () => {
    expect(decodeCpuTemperature([{ label: 'Tctl', type: 'temperature_core', unit: 'C', value: 48.5 }])).toEqual({ tempC: 48.5 });
    expect(decodeCpuTemperature([{ label: 'cpu_thermal 0', type: 'SensorType.CPU_TEMP', unit: 'C', value: 50 }])).toEqual({ tempC: 50 });
    expect(decodeCpuTemperature([{ label: 'Core 0', type: 'temperature_core', value: 41 }, { label: 'Core 1', type: 'temperature_core', value: 44 }])).toEqual({ tempC: 44 });
  });

  it('leaves out fans, batteries and readings no CPU gives', () => {
    const sensors = [
      { label: 'CPU Fan', type: 'fan_speed', unit: 'R', value: 2100 },
      { label: 'BAT BAT0', type: 'battery', unit: '%', value: 80 },
      { label: 'CPU', type: 'temperature_core', unit: 'C', value: 1e9 },
      { label: 'Package id 0', type: 'temperature_core', unit: 'C', value: null },
    ];
    expect(decodeCpuTemperature(sensors)).toEqual({});
  });
});

describe('reading uptime', () => {
  it("reads Python's timedelta text, with or without days, and plain seconds", () => {
    expect(decodeUptime('11:15:10')).toEqual({ uptimeSec: 40_510 });
    expect(decodeUptime('1 day, 2:03:04')).toEqual({ uptimeSec: 93_784 });
    expect(decodeUptime('412 days, 0:00:01.5')).toEqual({ uptimeSec: 412 * 86_400 + 1 });
    expect(decodeUptime(93_784.7)).toEqual({ uptimeSec: 93_784 });
  });

  it('gives no uptime for text it cannot read or absurd numbers, and undefined for shapes Glances never sends', () => {
    expect(decodeUptime('soon')).toEqual({});
    expect(decodeUptime(-5)).toEqual({});
    expect(decodeUptime(1e300)).toEqual({});
    expect(decodeUptime(null)).toEqual({});
    expect(decodeUptime({ seconds: 5 })).toBeUndefined();
  });
});

describe('hostile answers', () => {
  it('turns NaN, Infinity and absurd values into missing fields, never into NaN or Infinity in the sample', () => {
    const answers: PluginAnswers = {
      cpu: parseGlancesJson('{"total":NaN,"cpucore":Infinity}'),
      percpu: parseGlancesJson('[{"cpu_number":0,"total":-Infinity},{"cpu_number":1,"total":250}]'),
      mem: parseGlancesJson('{"total":1e999,"available":5,"percent":NaN}'),
      memswap: { total: -1, used: 5 },
      load: { min1: NaN, min5: 1, min15: 1 },
      fs: [{ mnt_point: '/', size: 1e308 * 10, used: -3, free: 'lots', percent: 1e308 }, { size: 5 }, 'junk'],
      network: [{ interface_name: 'eth0', rx: 1e20, tx: 100, time_since_update: 1e-300, cumulative_rx: 2 ** 70 }],
      gpu: [{ name: 'GPU', proc: NaN, temperature: 1e6 }],
      processlist: [{ pid: 1, name: 'init', cpu_percent: 1e300, memory_info: [Infinity] }, { pid: -1, name: 'bad' }],
    };
    const { sample, facts } = decode(answers);
    expect(sample.cpu).toEqual({ totalPercent: 100, perCorePercent: [100] });
    expect(sample.memory).toBeUndefined();
    expect(sample.cpu?.load).toBeUndefined();
    expect(sample.disks).toEqual([{ name: '/', mountPoint: '/', usedPercent: 100 }]);
    expect(sample.network).toEqual({ interfaces: [{ name: 'eth0' }] });
    expect(sample.gpus).toEqual([{ index: 0, name: 'GPU' }]);
    expect(sample.processes).toEqual([{ pid: 1, name: 'init', cpuPercent: 0, memoryBytes: 0 }]);
    expect(facts.cores).toBe(1);
    expect(JSON.stringify(sample)).not.toMatch(/null|NaN|Infinity/);
  });

  it('throws an Error naming the path and the expected shape when a plugin answers JSON of another shape', () => {
    expect(() => decode({ fs: { mnt_point: '/' } })).toThrow("/api/3/fs answered JSON that is not Glances' fs plugin (expected a list of filesystems).");
    expect(() => decode({ cpu: [43.8] })).toThrow(/\/api\/3\/cpu answered JSON that is not Glances' cpu plugin/);
    expect(() => decode({ uptime: { up: 1 } })).toThrow(/expected the uptime as text/);
  });

  it('divides process CPU by the cores an earlier poll counted when this poll counts none', () => {
    const processes = decodeProcesses([{ pid: 7, name: 'busy', cpu_percent: 200, memory_info: { rss: 1024 } }], 4);
    expect(processes?.processes).toEqual([{ pid: 7, name: 'busy', cpuPercent: 50, memoryBytes: 1024 }]);
    const { sample } = decode({ processlist: [{ pid: 7, name: 'busy', cpu_percent: 200 }] }, 8);
    expect(sample.processes?.[0]?.cpuPercent).toBe(25);
  });

  it('keeps the 50 busiest of a long process list and counts them all', () => {
    const list = Array.from({ length: 120 }, (_, pid) => ({ pid, name: `p${pid}`, cpu_percent: pid % 7, memory_info: [pid] }));
    const decoded = decodeProcesses(list, 1);
    expect(decoded?.processCount).toBe(120);
    expect(decoded?.processes).toHaveLength(50);
    expect(decoded?.processes.every((process, index, all) => index === 0 || all[index - 1]!.cpuPercent >= process.cpuPercent)).toBe(true);
  });
});
