// Glances' `system` and `quicklook` plugins into the host's static facts. Pure.

import { z } from 'zod';
import type { HostInfo } from '../model';
import { optionalCount, optionalText } from './fields';
import { defined } from './decode-readings';

const systemSchema = z.object({
  hostname: optionalText(255),
  os_name: optionalText(64),
  os_version: optionalText(128),
  linux_distro: optionalText(128),
  platform: optionalText(32),
});

/** The host's name and OS. On Linux, Glances' os_version is the kernel and linux_distro names the system. */
export function decodeSystem(json: unknown): Partial<Pick<HostInfo, 'hostname' | 'os'>> | undefined {
  const parsed = systemSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const { hostname, os_name: osName, os_version: osVersion, linux_distro: distro } = parsed.data;
  // Glances' platform is Python's word size ("64bit"), not the machine's architecture.
  const platform = parsed.data.platform && !/^\d+bit$/.test(parsed.data.platform) ? parsed.data.platform : undefined;
  const info: Partial<Pick<HostInfo, 'hostname' | 'os'>> = {};
  if (hostname) info.hostname = hostname;
  if (osName === 'Linux') info.os = defined({ name: distro || osName, kernel: osVersion || undefined, arch: platform || undefined });
  else if (osName) info.os = defined({ name: osName, version: osVersion || undefined, arch: platform || undefined });
  return info;
}

const quicklookSchema = z.object({ cpu_name: optionalText(256), cpu_log_core: optionalCount });

/** The CPU's model name (e.g. "AMD EPYC"); v4 also counts its logical cores here. */
export function decodeQuicklook(json: unknown): { cpuModel?: string; cores?: number } | undefined {
  const parsed = quicklookSchema.safeParse(json);
  if (!parsed.success) return undefined;
  return defined({ cpuModel: parsed.data.cpu_name?.trim() || undefined, cores: parsed.data.cpu_log_core });
}
