// Static facts about a Linux machine, collected once from /etc/os-release and what Node already reads
// from /proc, so a Linux agent never loads systeminformation (about 2 MB of its idle RSS).

import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { HostInfo } from '../../../proto/model';
import { cpuModelName, parseOsRelease } from './proc-parsers';

/** `name` stands in for the system's hostname where the agent was given one. */
export async function linuxHostInfo(name?: string, osReleaseFile = '/etc/os-release'): Promise<HostInfo> {
  const release = parseOsRelease(await readFile(osReleaseFile, 'utf8').catch(() => ''));
  const hostname = name ?? os.hostname();
  return {
    id: hostname,
    hostname,
    os: { name: release.get('NAME') ?? 'Linux', version: release.get('VERSION_ID') ?? '', kernel: os.release(), arch: os.arch() },
    cpu: { model: cpuModelName(os.cpus()[0]?.model ?? '') || 'Unknown', cores: os.availableParallelism() },
    memoryTotalBytes: os.totalmem(),
  };
}
