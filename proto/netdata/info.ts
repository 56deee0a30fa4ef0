// Netdata's `/api/v1/info`: the agent's version and the facts of the host it runs on. Its numbers are strings
// ("cores_total": "2"), "unknown" means unknown, and inside a container os_name is the host's, usually unknown,
// while container_os_name is what runs. The first of mirrored_hosts is the agent's own host; a parent lists
// the children streaming to it after it.

import { z } from 'zod';
import type { HostInfo } from '../model';
import { parseJson } from '../units';

const text = z.string().max(256);
const fact = text.optional().catch(undefined);

const infoSchema = z.object({
  version: text.regex(/^v\d/),
  mirrored_hosts: z.array(z.unknown()).max(100_000),
  mirrored_hosts_status: z.array(z.object({ hostname: fact, hops: z.number().optional().catch(undefined) }).catch({})).optional().catch(undefined),
  cores_total: z.union([text, z.number()]).optional(),
  os_name: fact,
  os_version: fact,
  container_os_name: fact,
  container_os_version: fact,
  kernel_name: fact,
  kernel_version: fact,
  architecture: fact,
  ram_total: z.union([text, z.number()]).optional().catch(undefined),
});

export type NetdataInfo = z.infer<typeof infoSchema>;

/** The info answer, or null when the body is not Netdata's: it needs the `v` version and mirrored_hosts no other server sends. */
export function parseInfo(body: string): NetdataInfo | null {
  const checked = infoSchema.safeParse(parseJson(body));
  if (!checked.success) return null;
  return checked.data.cores_total !== undefined || checked.data.mirrored_hosts_status !== undefined ? checked.data : null;
}

const known = (value: string | undefined): string | undefined => (value && value.toLowerCase() !== 'unknown' ? value : undefined);

export function hostInfoOf(info: NetdataInfo, id: string): HostInfo {
  const own = info.mirrored_hosts_status?.find((status) => status.hops === 0)?.hostname ?? info.mirrored_hosts[0];
  const host: HostInfo = { id, hostname: typeof own === 'string' && own ? own : id, serverStatus: `Netdata ${info.version}` };
  const os = osOf(info);
  if (os) host.os = os;
  const memoryTotalBytes = Number(info.ram_total);
  if (Number.isSafeInteger(memoryTotalBytes) && memoryTotalBytes > 0) host.memoryTotalBytes = memoryTotalBytes;
  const cores = Number(info.cores_total);
  if (Number.isSafeInteger(cores) && cores > 0 && cores <= 4096) host.cpu = { cores };
  return host;
}

function osOf(info: NetdataInfo): HostInfo['os'] {
  const hostOs = known(info.os_name);
  const name = hostOs ?? known(info.container_os_name) ?? known(info.kernel_name);
  if (!name) return undefined;
  const os: NonNullable<HostInfo['os']> = { name };
  const version = hostOs ? known(info.os_version) : name === known(info.container_os_name) ? known(info.container_os_version) : undefined;
  if (version) os.version = version;
  const kernel = known(info.kernel_version);
  if (kernel) os.kernel = kernel;
  const arch = known(info.architecture);
  if (arch) os.arch = arch;
  return os;
}
