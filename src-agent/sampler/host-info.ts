// Static facts about this machine, collected once: osInfo() and cpu() each cost ~20 ms of work.

import os from 'node:os';
import si from 'systeminformation';
import type { GpuSample, HostInfo } from '../../proto/model';

export async function collectHostInfo(gpus: GpuSample[]): Promise<HostInfo> {
  const [osInfo, cpu, mem] = await Promise.all([si.osInfo(), si.cpu(), si.mem()]);
  const hostname = os.hostname();
  const model = [cpu.manufacturer, cpu.brand].filter((part) => part && part !== 'unknown').join(' ').trim();
  return {
    id: hostname,
    hostname,
    os: { name: osInfo.distro || osInfo.platform, version: osInfo.release, kernel: osInfo.kernel, arch: osInfo.arch },
    cpu: { model: model || 'Unknown', cores: os.availableParallelism() },
    memoryTotalBytes: mem.total,
    gpus: gpus.map((gpu) => ({ index: gpu.index, name: gpu.name ?? `GPU ${gpu.index}`, vendor: 'NVIDIA', memoryTotalBytes: gpu.memoryTotalBytes })),
  };
}
