// The SysMedic secret: where it comes from, how a client's is checked, and the one string that shows it.
// Nothing here logs; the connection string is handed to the agent as a terminal-only start notice.

import type { IncomingMessage } from 'node:http';
import { readOrCreateSecret } from '../../data-dir';
import { connectHost } from '../../net/endpoint-url';
import { lanHost } from '../../net/exposure';

export const SECRET_FILE = 'sysmedic-secret';
/** The header the SysMedic API guide offers besides `?secret=`. */
const SECRET_HEADER = 'x-sysmedic-secret';

export interface ResolvedSecret {
  secret: string;
  source: 'flag' | 'generated' | 'file';
}

export function resolveSecret(fromFlag: string | undefined, dataDir: string): ResolvedSecret {
  if (fromFlag !== undefined) return { secret: fromFlag, source: 'flag' };
  try {
    const { secret, created } = readOrCreateSecret(dataDir, SECRET_FILE);
    return { secret, source: created ? 'generated' : 'file' };
  } catch (error) {
    throw new Error(`cannot read or create the secret file in ${dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); give one with --sysmedic-secret`);
  }
}


export function requestSecret(request: IncomingMessage, url: URL): string | null {
  const header = request.headers[SECRET_HEADER];
  return url.searchParams.get('secret') ?? (typeof header === 'string' ? header : null);
}

/** `sysmedic://<secret>@<host>:<port>/`, the quick-connect form real SysMedic prints. */
/** A quick-connect string is for other machines: an agent bound to every interface gives its LAN address. */
function quickConnectHost(bindHost: string): string {
  return lanHost(bindHost) ?? connectHost(bindHost);
}

export function connectionString(secret: string, bindHost: string, port: number): string {
  return `sysmedic://${encodeURIComponent(secret)}@${quickConnectHost(bindHost)}:${port}/`;
}

/** The same with the literal `<secret>` in its place: what may reach a log file. */
export function redactedConnectionString(bindHost: string, port: number): string {
  return `sysmedic://<secret>@${quickConnectHost(bindHost)}:${port}/`;
}
