import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { Sample } from '../model';
import { MIB } from '../units';
import { parseExposition } from './exposition';
import { NodeReader, NODE_METRIC_NAMES, type NodeReading } from './node-reading';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const NODE_1 = fixture('node-exporter-1.5.0-scrape-1.txt');
const NODE_2 = fixture('node-exporter-1.5.0-scrape-2.txt');
const AGENT_1 = fixture('fleetwatch-agent-0.1.0-scrape-1.txt');
const AGENT_2 = fixture('fleetwatch-agent-0.1.0-scrape-2.txt');
/** node_time_seconds of the two recorded node_exporter scrapes. */
const NODE_SCRAPE_GAP_SEC = 1796504640.1420352 - 1796504638.0674517;
const NOW_MS = 1_796_504_700_000;

function readAll(...scrapes: string[]): NodeReading[] {
  const reader = new NodeReader();
  return scrapes.map((text, index) => reader.read(parseExposition(text, { names: NODE_METRIC_NAMES }), NOW_MS + index * 2000));
}

/** Replaces one whole sample line of a scrape, failing when the line is not there. */
function withLine(text: string, line: string, replacement: string): string {
  expect(text).toContain(`\n${line}\n`);
  return text.replace(`\n${line}\n`, `\n${replacement}\n`);
}

function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

describe('node_exporter reading', () => {
  it('reads the recorded node_exporter 1.5.0 scrapes: host, memory, load, filesystem, traffic, uptime', () => {
    const [first, second] = readAll(NODE_1, NODE_2);
    expect(first!.sample.cpu).toBeUndefined();
    expect(first!.sample.network?.rxBytesPerSec).toBeUndefined();
    expect(second!.host).toEqual({
      hostname: 'vm',
      os: { name: 'Debian GNU/Linux', version: '12', kernel: '6.18.44-fc-v1272', arch: 'x86_64' },
      cpu: { cores: 2 },
      memoryTotalBytes: 25_276_157_952,
      serverStatus: 'node_exporter 1.5.0',
    });
    expect(first!.host).toEqual(second!.host);

    const { sample } = second!;
    expect(sample.timeMs).toBe(NOW_MS + 2000);
    expect(sample.memory).toEqual({
      usedPercent: ((25_276_157_952 - 24_576_233_472) / 25_276_157_952) * 100,
      totalBytes: 25_276_157_952,
      usedBytes: 25_276_157_952 - 24_576_233_472,
      swapTotalBytes: 0,
      swapUsedBytes: 0,
    });
    expect(sample.cpu?.load).toEqual([0.88, 1.13, 1.02]);
    expect(sample.cpu?.tempC).toBeUndefined();
    const used = 270_553_174_016 - 243_921_428_480;
    expect(sample.disks).toEqual([
      { name: '/dev/vda', mountPoint: '/', fsType: 'ext4', totalBytes: 270_553_174_016, usedBytes: used, availableBytes: 82_312_548_352, usedPercent: (used / (used + 82_312_548_352)) * 100 },
    ]);
    // Debian's node_exporter leaves lo out itself (--collector.netdev.device-exclude="^lo$"); eth0 was quiet.
    expect(sample.network).toEqual({
      interfaces: [
        { name: 'eth0', rxBytes: 2_345_384_157, txBytes: 9_555_931, rxBytesPerSec: 0, txBytesPerSec: 0 },
        { name: 'ifb0', rxBytes: 0, txBytes: 0, rxBytesPerSec: 0, txBytesPerSec: 0 },
        { name: 'ifb1', rxBytes: 0, txBytes: 0, rxBytesPerSec: 0, txBytesPerSec: 0 },
      ],
      rxTotalBytes: 2_345_384_157,
      txTotalBytes: 9_555_931,
      rxBytesPerSec: 0,
      txBytesPerSec: 0,
    });
    expect(sample.uptimeSec).toBe(Math.floor(1796504640.1420352 - 1_796_464_011));
    expect(sample.gpus).toBeUndefined();
  });

  it('computes CPU use from the recorded node_cpu_seconds_total deltas, iowait counted as idle', () => {
    const [, second] = readAll(NODE_1, NODE_2);
    // cpu0: idle +1.61, system +0.18, user +0.27; cpu1: idle +1.64, softirq +0.01, system +0.22, user +0.20.
    const cpu0 = { busy: 0.18 + 0.27, all: 1.61 + 0.18 + 0.27 };
    const cpu1 = { busy: 0.01 + 0.22 + 0.2, all: 1.64 + 0.01 + 0.22 + 0.2 };
    const cpu = second!.sample.cpu!;
    expect(cpu.perCorePercent).toHaveLength(2);
    expect(cpu.perCorePercent![0]).toBeCloseTo((cpu0.busy / cpu0.all) * 100, 6);
    expect(cpu.perCorePercent![1]).toBeCloseTo((cpu1.busy / cpu1.all) * 100, 6);
    expect(cpu.totalPercent).toBeCloseTo(((cpu0.busy + cpu1.busy) / (cpu0.all + cpu1.all)) * 100, 6);
  });

  it('reads traffic rates over the time node_exporter reports, not the time the answers took to arrive', () => {
    const busier = withLine(NODE_2, 'node_network_receive_bytes_total{device="eth0"} 2.345384157e+09', `node_network_receive_bytes_total{device="eth0"} ${2_345_384_157 + 5_000_000}`);
    const [, second] = readAll(NODE_1, busier);
    const rate = Math.round(5_000_000 / NODE_SCRAPE_GAP_SEC);
    expect(second!.sample.network?.interfaces?.[0]).toEqual({ name: 'eth0', rxBytes: 2_350_384_157, txBytes: 9_555_931, rxBytesPerSec: rate, txBytesPerSec: 0 });
    expect(second!.sample.network?.rxBytesPerSec).toBe(rate);
  });

  it("reads the recorded scrapes of our agent's /metrics: its two fake GPUs, CPU, memory and hostname", () => {
    const [, second] = readAll(AGENT_1, AGENT_2);
    const gpu = (index: number) => ({ index, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memoryTotalBytes: 49_140 * MIB });
    expect(second!.host).toEqual({
      hostname: 'vm',
      os: { name: 'Debian GNU/Linux', kernel: '6.18.44-fc-v1272', arch: 'x64' },
      cpu: { cores: 2 },
      memoryTotalBytes: 25_276_157_952,
      gpus: [gpu(0), gpu(1)],
    });
    const { sample } = second!;
    expect(sample.gpus).toEqual([
      { index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 64, memoryUsedBytes: 30_977 * MIB, memoryTotalBytes: 49_140 * MIB, tempC: 71, powerWatts: 198.1 },
      { index: 1, name: 'NVIDIA RTX A6000', utilizationPercent: 35, memoryUsedBytes: 8120 * MIB, memoryTotalBytes: 49_140 * MIB, tempC: 49, powerWatts: 121.4 },
    ]);
    // cpu0: user +0.11, system +0.05, idle +2.03, irq +0.02; cpu1: user +0.19, system +0.08, idle +1.91.
    expect(sample.cpu?.perCorePercent?.[0]).toBeCloseTo((0.18 / 2.21) * 100, 6);
    expect(sample.cpu?.perCorePercent?.[1]).toBeCloseTo((0.27 / 2.18) * 100, 6);
    expect(sample.memory?.usedBytes).toBe(25_276_157_952 - 24_576_024_576);
    // The agent serves no free_bytes: what is not available reads as used.
    expect(sample.disks).toEqual([
      { name: '/dev/vda', mountPoint: '/', fsType: 'ext4', totalBytes: 270_553_174_016, usedBytes: 270_553_174_016 - 82_312_511_488, availableBytes: 82_312_511_488, usedPercent: ((270_553_174_016 - 82_312_511_488) / 270_553_174_016) * 100 },
    ]);
    // Our agent lists lo; it is left out as node_exporter leaves it out.
    expect(sample.network?.interfaces?.map((network) => network.name)).toEqual(['eth0', 'ifb0', 'ifb1']);
    // No node_time_seconds there: uptime is counted from the reading's own time.
    expect(sample.uptimeSec).toBe(Math.floor((NOW_MS + 2000) / 1000 - 1_796_464_011));
  });

  it('skips the interval of a CPU whose counter went back, and counts from the new value on the next scrape', () => {
    const reset = withLine(NODE_2, 'node_cpu_seconds_total{cpu="0",mode="idle"} 38831.65', 'node_cpu_seconds_total{cpu="0",mode="idle"} 12.5');
    const after = reset.replace('{cpu="0",mode="idle"} 12.5', '{cpu="0",mode="idle"} 14.5').replace('{cpu="1",mode="idle"} 38609.31', '{cpu="1",mode="idle"} 38611.31');
    const [, second, third] = readAll(NODE_1, reset, after);
    const cpu1 = { busy: 0.01 + 0.22 + 0.2, all: 1.64 + 0.01 + 0.22 + 0.2 };
    expect(second!.sample.cpu?.perCorePercent).toBeUndefined();
    expect(second!.sample.cpu?.totalPercent).toBeCloseTo((cpu1.busy / cpu1.all) * 100, 6);
    expect(third!.sample.cpu).toEqual({ totalPercent: 0, perCorePercent: [0, 0], load: [0.88, 1.13, 1.02] });
  });

  it('gives no CPU figure when every counter went back, and no rate for a traffic counter that did', () => {
    const restarted = withLine(NODE_2, 'node_network_transmit_bytes_total{device="eth0"} 9.555931e+06', 'node_network_transmit_bytes_total{device="eth0"} 100').replace(/^(node_cpu_seconds_total\{.*\}) .*$/gm, '$1 0.5');
    const [, second] = readAll(NODE_1, restarted);
    expect(second!.sample.cpu).toBeUndefined();
    const eth0 = second!.sample.network?.interfaces?.find((network) => network.name === 'eth0');
    expect(eth0).toEqual({ name: 'eth0', rxBytes: 2_345_384_157, txBytes: 100, rxBytesPerSec: 0 });
  });

  it('never puts NaN, Infinity, a negative or an over-100 % figure in a sample, whatever the values', () => {
    const hostile = (text: string) =>
      text
        .replace(/^(node_memory_MemTotal_bytes) .*$/m, '$1 NaN')
        .replace(/^(node_load1) .*$/m, '$1 +Inf')
        .replace(/^(node_cpu_seconds_total\{cpu="1",mode="user"\}) .*$/m, '$1 -Inf')
        .replace(/^(node_filesystem_size_bytes\{.*\}) .*$/m, '$1 1e300')
        .replace(/^(node_boot_time_seconds) .*$/m, '$1 -Inf')
        .replace(/^(DCGM_FI_DEV_GPU_UTIL\{gpu="0".*\}) .*$/m, '$1 250')
        .replace(/^(DCGM_FI_DEV_FB_USED\{gpu="1".*\}) .*$/m, '$1 NaN')
        .replace(/^(DCGM_FI_DEV_GPU_TEMP\{gpu="0".*\}) .*$/m, '$1 255')
        .replace(/^(DCGM_FI_DEV_POWER_USAGE\{gpu="1".*\}) .*$/m, '$1 -3');
    for (const [before, after] of [
      [NODE_1, NODE_2],
      [AGENT_1, AGENT_2],
    ] as const) {
      const readings = readAll(hostile(before), hostile(after));
      for (const { sample, host } of readings) expect(numbersIn({ sample, host }).every(Number.isFinite)).toBe(true);
      const { sample } = readings[1]!;
      expect(sample.memory).toBeUndefined();
      expect(sample.cpu?.load).toBeUndefined();
      expect(sample.cpu?.perCorePercent).toBeUndefined();
      expect(sample.cpu?.totalPercent).toBeGreaterThanOrEqual(0);
      expect(sample.cpu?.totalPercent).toBeLessThanOrEqual(100);
      expect(sample.disks).toBeUndefined();
      expect(sample.uptimeSec).toBeUndefined();
    }
    const [, agent] = readAll(hostile(AGENT_1), hostile(AGENT_2));
    expect(agent!.sample.gpus).toEqual([
      { index: 0, name: 'NVIDIA RTX A6000', memoryUsedBytes: 30_977 * MIB, memoryTotalBytes: 49_140 * MIB, powerWatts: 198.1 },
      { index: 1, name: 'NVIDIA RTX A6000', utilizationPercent: 35, tempC: 49 },
    ]);
  });

  it('refuses memory figures that contradict each other', () => {
    const [{ sample }] = readAll(withLine(NODE_2, 'node_memory_MemAvailable_bytes 2.4576233472e+10', 'node_memory_MemAvailable_bytes 9e+10')) as [NodeReading];
    expect(sample.memory).toBeUndefined();
  });

  it('lists real filesystems once per device and leaves pseudo filesystems out', () => {
    const mounts = [
      ['/dev/nvme0n1p2', '/', 'ext4', 500, 300, 250],
      ['/dev/nvme0n1p2', '/var/lib/kubelet/pods/x', 'ext4', 500, 300, 250],
      ['/dev/sdb1', '/data', 'xfs', 1000, 900, 900],
      ['tmpfs', '/run/user/1000', 'tmpfs', 100, 100, 100],
      ['overlay', '/var/lib/docker/overlay2/abc/merged', 'overlay', 500, 300, 250],
      ['/dev/loop3', '/snap/core/1', 'squashfs', 60, 0, 0],
      ['nsfs', '/run/netns/x', 'nsfs', 0, 0, 0],
    ] as const;
    const text = mounts
      .flatMap(([device, mountpoint, fstype, size, free, avail]) => {
        const labels = `{device="${device}",fstype="${fstype}",mountpoint="${mountpoint}"}`;
        return [`node_filesystem_size_bytes${labels} ${size}`, `node_filesystem_free_bytes${labels} ${free}`, `node_filesystem_avail_bytes${labels} ${avail}`];
      })
      .join('\n');
    const [{ sample }] = readAll(`${text}\n`) as [NodeReading];
    expect(sample.disks).toEqual([
      { name: '/dev/nvme0n1p2', mountPoint: '/', fsType: 'ext4', totalBytes: 500, usedBytes: 200, availableBytes: 250, usedPercent: (200 / 450) * 100 },
      { name: '/dev/sdb1', mountPoint: '/data', fsType: 'xfs', totalBytes: 1000, usedBytes: 100, availableBytes: 900, usedPercent: 10 },
    ]);
  });

  it("takes the CPU temperature from a CPU's hwmon chip, its first sensor, hottest socket", () => {
    const text = [
      'node_hwmon_chip_names{chip="platform_coretemp_0",chip_name="coretemp"} 1',
      'node_hwmon_chip_names{chip="platform_coretemp_1",chip_name="coretemp"} 1',
      'node_hwmon_chip_names{chip="pci0000:00_0000:00:1f_3",chip_name="nvme"} 1',
      'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp2"} 70',
      'node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp1"} 52',
      'node_hwmon_temp_celsius{chip="platform_coretemp_1",sensor="temp1"} 57',
      'node_hwmon_temp_celsius{chip="pci0000:00_0000:00:1f_3",sensor="temp1"} 80',
      'node_thermal_zone_temp{type="x86_pkg_temp",zone="1"} 99',
      'node_cpu_seconds_total{cpu="0",mode="idle"} 1',
      '',
    ].join('\n');
    const [, second] = readAll(text, text.replace('mode="idle"} 1', 'mode="idle"} 2'));
    expect(second!.sample.cpu?.tempC).toBe(57);
  });

  it('falls back to a thermal zone, one named for the CPU first, else the first zone', () => {
    const tempOf = (zones: string) => {
      const text = `${zones}\nnode_cpu_seconds_total{cpu="0",mode="idle"} 1\n`;
      return readAll(text, text.replace('idle"} 1', 'idle"} 2'))[1]!.sample.cpu?.tempC;
    };
    expect(tempOf('node_thermal_zone_temp{type="acpitz",zone="0"} 27.8\nnode_thermal_zone_temp{type="x86_pkg_temp",zone="1"} 48')).toBe(48);
    expect(tempOf('node_thermal_zone_temp{type="iwlwifi_1",zone="2"} 40\nnode_thermal_zone_temp{type="acpitz",zone="0"} 27.8')).toBe(27.8);
    expect(tempOf('node_thermal_zone_temp{type="cpu-thermal",zone="0"} -127')).toBeUndefined();
  });

  it("reads nvidia_gpu_exporter's documented nvidia_smi series, named by nvidia_smi_gpu_info", () => {
    // Lines as nvidia_gpu_exporter's METRICS.md documents them, plus a second GPU whose info names no index.
    const text = [
      'nvidia_smi_gpu_info{driver_model_current="WDDM",name="NVIDIA GeForce RTX 2080 SUPER",uuid="df6e7a7c-7314-46f8-abc4-b88b36dcf3aa",index="0"} 1',
      'nvidia_smi_gpu_info{name="Tesla T4",uuid="0b5c1e3a-1111-2222-3333-444455556666"} 1',
      'nvidia_smi_memory_total_bytes{uuid="df6e7a7c-7314-46f8-abc4-b88b36dcf3aa"} 8.589934592e+09',
      'nvidia_smi_memory_used_bytes{uuid="df6e7a7c-7314-46f8-abc4-b88b36dcf3aa"} 7.06740224e+08',
      'nvidia_smi_power_draw_watts{uuid="df6e7a7c-7314-46f8-abc4-b88b36dcf3aa"} 28.07',
      'nvidia_smi_temperature_gpu{uuid="df6e7a7c-7314-46f8-abc4-b88b36dcf3aa"} 34',
      'nvidia_smi_utilization_gpu_ratio{uuid="df6e7a7c-7314-46f8-abc4-b88b36dcf3aa"} 0.37',
      'nvidia_smi_utilization_gpu_ratio{uuid="0b5c1e3a-1111-2222-3333-444455556666"} 1.5',
      'node_load1 0',
      '',
    ].join('\n');
    const [{ sample, host }] = readAll(text) as [NodeReading];
    expect(sample.gpus).toEqual([
      { index: 0, name: 'NVIDIA GeForce RTX 2080 SUPER', utilizationPercent: 37, memoryUsedBytes: 706_740_224, memoryTotalBytes: 8_589_934_592, tempC: 34, powerWatts: 28.07 },
      { index: 1, name: 'Tesla T4' },
    ]);
    expect(host.gpus).toEqual([
      { index: 0, name: 'NVIDIA GeForce RTX 2080 SUPER', vendor: 'NVIDIA', memoryTotalBytes: 8_589_934_592 },
      { index: 1, name: 'Tesla T4', vendor: 'NVIDIA' },
    ]);
  });

  it('reads DCGM series rather than nvidia_smi ones when a scrape has both', () => {
    const text = 'nvidia_smi_utilization_gpu_ratio{uuid="a"} 0.5\nDCGM_FI_DEV_GPU_UTIL{gpu="3",modelName="NVIDIA H100"} 80\n';
    expect(readAll(text)[0]!.sample.gpus).toEqual([{ index: 3, name: 'NVIDIA H100', utilizationPercent: 80 }]);
  });

  it('names the CPU model where node_cpu_info is enabled, and the distribution by os-release NAME', () => {
    const text = [
      'node_cpu_info{core="0",cpu="0",family="6",model="85",model_name="Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz",package="0"} 1',
      'node_cpu_seconds_total{cpu="0",mode="idle"} 1',
      'node_cpu_seconds_total{cpu="1",mode="idle"} 1',
      'node_os_info{name="",pretty_name="Ubuntu 22.04.4 LTS",version="22.04.4 LTS (Jammy Jellyfish)"} 1',
      '',
    ].join('\n');
    expect(readAll(text)[0]!.host).toEqual({ cpu: { model: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz', cores: 2 }, os: { name: 'Ubuntu 22.04.4 LTS', version: '22.04.4 LTS (Jammy Jellyfish)' } });
  });

  it('sorts CPUs by number, so cpu10 comes after cpu9', () => {
    const counters = (idle: number) => Array.from({ length: 12 }, (_, cpu) => `node_cpu_seconds_total{cpu="${cpu}",mode="user"} ${cpu}\nnode_cpu_seconds_total{cpu="${cpu}",mode="idle"} ${idle}`).join('\n') + '\n';
    const moreUser = (cpu: number) => (text: string) => text.replace(`{cpu="${cpu}",mode="user"} ${cpu}`, `{cpu="${cpu}",mode="user"} ${cpu + 1}`);
    const [, second] = readAll(counters(0), moreUser(10)(counters(1)));
    const expected: Sample['cpu'] = { totalPercent: (1 / 13) * 100, perCorePercent: Array.from({ length: 12 }, (_, cpu) => (cpu === 10 ? 50 : 0)) };
    expect(second!.sample.cpu?.perCorePercent).toEqual(expected.perCorePercent);
    expect(second!.sample.cpu?.totalPercent).toBeCloseTo(expected.totalPercent, 9);
  });
});
