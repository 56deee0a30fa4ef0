// Static facts about this machine, collected once: osInfo() and cpu() each cost ~20 ms of work.
// GPUs are not among them: their facts come from a GPU reading, so host info alone never runs nvidia-smi.

import os from 'node:os';
import si from 'systeminformation';
import type { GpuInfo, GpuSample, HostInfo } from '../../proto/model';

/** `name` stands in for the system's hostname where the agent was given one. */
export async function collectHostInfo(name?: string): Promise<HostInfo> {
  const [osInfo, cpu, mem] = await Promise.all([si.osInfo(), si.cpu(), si.mem()]);
  const hostname = name ?? os.hostname();
  const model = [cpu.manufacturer, cpu.brand].filter((part) => part && part !== 'unknown').join(' ').trim();
  return {
    id: hostname,
    hostname,
    os: { name: osInfo.distro || osInfo.platform, version: osInfo.release, kernel: osInfo.kernel, arch: osInfo.arch },
    cpu: { model: model || 'Unknown', cores: os.availableParallelism() },
    memoryTotalBytes: mem.total,
  };
}

/** The static part of a GPU reading, as host info lists it. */
export function gpuFacts(gpus: GpuSample[]): GpuInfo[] {
  return gpus.map((gpu) => ({ index: gpu.index, name: gpu.name ?? `GPU ${gpu.index}`, vendor: 'NVIDIA', memoryTotalBytes: gpu.memoryTotalBytes }));
}
