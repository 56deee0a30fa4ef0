// What a scrape says about the machine itself: node_uname_info (hostname, kernel, architecture),
// node_os_info (the distribution, from os-release), the CPU count, memory and GPUs. Never a figure that
// changes from one scrape to the next, so the host is announced again only when the machine changed.

import type { HostInfo } from '../model';
import type { Exposition } from './exposition';
import type { GpuReading } from './gpu-series';
import { byteCount, firstValue, labelText, seriesOf } from './series-values';

export const HOST_METRIC_NAMES = ['node_uname_info', 'node_os_info', 'node_cpu_info', 'node_exporter_build_info'] as const;

/** HostInfo without the id, which the connection gives; the hostname only when the server names it. */
export type HostFacts = Omit<HostInfo, 'id' | 'hostname'> & { hostname?: string };

export function readHostFacts(exposition: Exposition, cpuCount: number, gpus: readonly GpuReading[]): HostFacts {
  const facts: HostFacts = {};
  const uname = seriesOf(exposition, 'node_uname_info')[0];
  const release = seriesOf(exposition, 'node_os_info')[0];
  const hostname = labelText(uname, 'nodename');
  if (hostname) facts.hostname = hostname;

  // Named and versioned as our own agent names them (os-release NAME and VERSION_ID), so merged sources agree.
  const osName = labelText(release, 'name') ?? labelText(release, 'pretty_name') ?? labelText(uname, 'sysname');
  if (osName) {
    const os: NonNullable<HostInfo['os']> = { name: osName };
    const version = labelText(release, 'version_id') ?? labelText(release, 'version');
    const kernel = labelText(uname, 'release');
    const arch = labelText(uname, 'machine');
    if (version) os.version = version;
    if (kernel) os.kernel = kernel;
    if (arch) os.arch = arch;
    facts.os = os;
  }

  // node_cpu_info is off by default in node_exporter (--collector.cpu.info); the count is always there.
  const model = labelText(seriesOf(exposition, 'node_cpu_info')[0], 'model_name');
  if (cpuCount > 0) facts.cpu = model ? { model, cores: cpuCount } : { cores: cpuCount };
  const memoryTotalBytes = byteCount(firstValue(exposition, 'node_memory_MemTotal_bytes'));
  if (memoryTotalBytes) facts.memoryTotalBytes = memoryTotalBytes;
  if (gpus.length > 0) facts.gpus = gpus.map((gpu) => gpu.info);
  const exporterVersion = labelText(seriesOf(exposition, 'node_exporter_build_info')[0], 'version');
  if (exporterVersion) facts.serverStatus = `node_exporter ${exporterVersion}`;
  return facts;
}
