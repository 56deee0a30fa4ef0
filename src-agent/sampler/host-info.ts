// Static facts about this machine through systeminformation, collected once where there is no /proc to
// read (linux/host-info.ts reads it there): osInfo() and cpu() each cost ~20 ms of work.

import os from 'node:os';
import si from 'systeminformation';
import type { HostInfo } from '../../proto/model';

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
