// The cheap collectors: CPU, load, memory, swap, network counters and uptime. Each reads /proc or
// its platform equivalent through systeminformation and costs well under a millisecond.

import os from 'node:os';
import si from 'systeminformation';
import type { CpuSample, MemorySample, NetworkSample } from '../../proto/model';
import { round1 } from '../../proto/units';

export interface FastMetrics {
  cpu: CpuSample;
  memory: MemorySample;
  network: NetworkSample;
  uptimeSec: number;
}

export async function collectFastMetrics(): Promise<FastMetrics> {
  const [load, mem, nets] = await Promise.all([si.currentLoad(), si.mem(), si.networkStats('*')]);
  const [one, five, fifteen] = os.loadavg() as [number, number, number];
  return {
    cpu: {
      totalPercent: round1(load.currentLoad),
      perCorePercent: load.cpus.map((core) => round1(core.load)),
      perCoreTimesSec: os.cpus().map(({ times }) => ({ user: times.user / 1000, nice: times.nice / 1000, system: times.sys / 1000, idle: times.idle / 1000, irq: times.irq / 1000 })),
      load: [one, five, fifteen],
    },
    memory: toMemory(mem),
    network: toNetwork(nets),
    uptimeSec: Math.round(os.uptime()),
  };
}

function toMemory(mem: si.Systeminformation.MemData): MemorySample {
  // "used" as `free` shows it: what applications hold, not the page cache.
  const usedBytes = mem.total - mem.available;
  return {
    usedPercent: mem.total > 0 ? round1((usedBytes / mem.total) * 100) : 0,
    totalBytes: mem.total,
    usedBytes,
    swapTotalBytes: mem.swaptotal,
    swapUsedBytes: mem.swapused,
  };
}

function toNetwork(nets: si.Systeminformation.NetworkStatsData[]): NetworkSample {
  const interfaces = nets.map((net) => ({
    name: net.iface,
    rxBytes: net.rx_bytes,
    txBytes: net.tx_bytes,
    rxBytesPerSec: rate(net.rx_sec),
    txBytesPerSec: rate(net.tx_sec),
  }));
  // Loopback traffic is this machine talking to itself; it is not network load.
  const external = interfaces.filter((net) => net.name !== 'lo');
  return {
    interfaces,
    rxTotalBytes: sum(external.map((net) => net.rxBytes)),
    txTotalBytes: sum(external.map((net) => net.txBytes)),
    rxBytesPerSec: sum(external.map((net) => net.rxBytesPerSec)),
    txBytesPerSec: sum(external.map((net) => net.txBytesPerSec)),
  };
}

function rate(value: number | null): number {
  return value !== null && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export async function collectCpuTempC(): Promise<number | undefined> {
  const temp = await si.cpuTemperature();
  return typeof temp.main === 'number' && Number.isFinite(temp.main) && temp.main > 0 ? temp.main : undefined;
}
