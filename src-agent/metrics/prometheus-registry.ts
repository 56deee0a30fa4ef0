// Prometheus metrics for this machine, named as node_exporter and NVIDIA's DCGM exporter name them, so
// existing dashboards and alert rules work unchanged. Values are read from the sampler at scrape time.

import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Snapshot } from '../../proto/model';
import type { Sampler } from '../sampler/sampler';

const MIB = 1024 * 1024;

/** Every scrape triggers one snapshot, shared by all metrics of that scrape. */
export function createPrometheusRegistry(sampler: Sampler, withProcessMetrics: boolean, now: () => number = Date.now): Registry {
  const registry = new Registry();
  if (withProcessMetrics) collectDefaultMetrics({ register: registry, prefix: 'fleetwatch_agent_', eventLoopMonitoringPrecision: 10 });
  let scrape: { at: number; snapshot: Promise<Snapshot> } | undefined;
  const current = (): Promise<Snapshot> => {
    // One scrape reads many metrics within milliseconds; they must all see the same snapshot.
    if (!scrape || now() - scrape.at > 250) scrape = { at: now(), snapshot: sampler.snapshot({ gpus: true, disks: true }) };
    return scrape.snapshot;
  };

  new Counter({
    name: 'node_cpu_seconds_total',
    help: 'Seconds the CPUs spent in each mode.',
    labelNames: ['cpu', 'mode'],
    registers: [registry],
    async collect() {
      const { sample } = await current();
      this.reset();
      (sample.cpu?.perCoreTimesSec ?? []).forEach((times, cpu) => {
        for (const [mode, seconds] of Object.entries(times)) this.inc({ cpu: String(cpu), mode }, seconds);
      });
    },
  });

  const gauge = (name: string, help: string, read: (snapshot: Snapshot) => number | undefined): void => {
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const value = read(await current());
        this.reset();
        if (value !== undefined && Number.isFinite(value)) this.set(value);
      },
    });
  };
  gauge('node_memory_MemTotal_bytes', 'Memory information field MemTotal_bytes.', ({ sample }) => sample.memory?.totalBytes);
  gauge('node_memory_MemAvailable_bytes', 'Memory information field MemAvailable_bytes.', ({ sample }) =>
    sample.memory?.totalBytes !== undefined && sample.memory.usedBytes !== undefined ? sample.memory.totalBytes - sample.memory.usedBytes : undefined,
  );
  gauge('node_memory_SwapTotal_bytes', 'Memory information field SwapTotal_bytes.', ({ sample }) => sample.memory?.swapTotalBytes);
  gauge('node_memory_SwapFree_bytes', 'Memory information field SwapFree_bytes.', ({ sample }) =>
    sample.memory?.swapTotalBytes !== undefined ? sample.memory.swapTotalBytes - (sample.memory.swapUsedBytes ?? 0) : undefined,
  );
  gauge('node_load1', '1m load average.', ({ sample }) => sample.cpu?.load?.[0]);
  gauge('node_load5', '5m load average.', ({ sample }) => sample.cpu?.load?.[1]);
  gauge('node_load15', '15m load average.', ({ sample }) => sample.cpu?.load?.[2]);
  gauge('node_boot_time_seconds', 'Node boot time, in unixtime.', ({ sample }) => (sample.uptimeSec === undefined ? undefined : Math.round(sample.timeMs / 1000 - sample.uptimeSec)));

  new Gauge({
    name: 'node_uname_info',
    help: 'Labeled system information as provided by the uname system call.',
    labelNames: ['nodename', 'sysname', 'release', 'machine'],
    registers: [registry],
    async collect() {
      const { host } = await current();
      this.reset();
      this.set({ nodename: host.hostname, sysname: host.os?.name ?? '', release: host.os?.kernel ?? '', machine: host.os?.arch ?? '' }, 1);
    },
  });

  const networkCounter = (name: string, help: string, field: 'rxBytes' | 'txBytes'): void => {
    new Counter({
      name,
      help,
      labelNames: ['device'],
      registers: [registry],
      async collect() {
        const { sample } = await current();
        this.reset();
        for (const net of sample.network?.interfaces ?? []) if (net[field] !== undefined) this.inc({ device: net.name }, net[field]);
      },
    });
  };
  networkCounter('node_network_receive_bytes_total', 'Network device statistic receive_bytes.', 'rxBytes');
  networkCounter('node_network_transmit_bytes_total', 'Network device statistic transmit_bytes.', 'txBytes');

  const filesystemGauge = (name: string, help: string, field: 'availableBytes' | 'totalBytes'): void => {
    new Gauge({
      name,
      help,
      labelNames: ['device', 'mountpoint', 'fstype'],
      registers: [registry],
      async collect() {
        const { sample } = await current();
        this.reset();
        for (const disk of sample.disks ?? []) {
          const value = disk[field];
          if (value !== undefined) this.set({ device: disk.name, mountpoint: disk.mountPoint ?? '', fstype: disk.fsType ?? '' }, value);
        }
      },
    });
  };
  filesystemGauge('node_filesystem_avail_bytes', 'Filesystem space available to non-root users in bytes.', 'availableBytes');
  filesystemGauge('node_filesystem_size_bytes', 'Filesystem size in bytes.', 'totalBytes');

  const gpuGauge = (name: string, help: string, read: (gpu: NonNullable<Snapshot['sample']['gpus']>[number]) => number | undefined): void => {
    new Gauge({
      name,
      help,
      labelNames: ['gpu', 'modelName', 'Hostname'],
      registers: [registry],
      async collect() {
        const { host, sample } = await current();
        this.reset();
        for (const gpu of sample.gpus ?? []) {
          const value = read(gpu);
          const modelName = gpu.name ?? host.gpus?.find((info) => info.index === gpu.index)?.name ?? '';
          if (value !== undefined) this.set({ gpu: String(gpu.index), modelName, Hostname: host.hostname }, value);
        }
      },
    });
  };
  gpuGauge('DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', (gpu) => gpu.utilizationPercent);
  gpuGauge('DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', (gpu) => (gpu.memoryUsedBytes === undefined ? undefined : Math.round(gpu.memoryUsedBytes / MIB)));
  gpuGauge('DCGM_FI_DEV_FB_FREE', 'Framebuffer memory free (in MiB).', (gpu) =>
    gpu.memoryUsedBytes === undefined || gpu.memoryTotalBytes === undefined ? undefined : Math.round((gpu.memoryTotalBytes - gpu.memoryUsedBytes) / MIB),
  );
  gpuGauge('DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', (gpu) => gpu.tempC);
  gpuGauge('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', (gpu) => gpu.powerWatts);

  return registry;
}
