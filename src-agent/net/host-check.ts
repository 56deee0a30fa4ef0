// Which Host and Origin headers the agent answers, against DNS rebinding: a page on evil.example that
// re-points its name at 127.0.0.1 still sends `Host: evil.example`. Addresses, this machine's names,
// `localhost`, and names the operator lists with --allowed-hosts pass; every other name is refused.

import { isIP } from 'node:net';
import os from 'node:os';

export interface HostPolicy {
  /** Extra names (lower case) the operator allows, e.g. a DNS name the agent is reached by. */
  extraHosts: readonly string[];
}

function hostOnly(hostHeader: string): string {
  const trimmed = hostHeader.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(1, trimmed.indexOf(']'));
  const colon = trimmed.lastIndexOf(':');
  return colon > -1 && trimmed.indexOf(':') === colon ? trimmed.slice(0, colon) : trimmed;
}

function machineNames(): string[] {
  const name = os.hostname().toLowerCase();
  return [name, `${name}.local`, name.split('.')[0]!];
}

export function isAllowedHostName(host: string, policy: HostPolicy): boolean {
  const bare = host.replace(/\.$/, '');
  if (isIP(bare) !== 0) return true;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return machineNames().includes(bare) || policy.extraHosts.includes(bare);
}

/** A missing Host (HTTP/1.0 tools) is allowed: a browser always sends one. */
export function isAllowedHost(hostHeader: string | undefined, policy: HostPolicy): boolean {
  return hostHeader === undefined || isAllowedHostName(hostOnly(hostHeader), policy);
}

/**
 * Origins a browser page may connect from. Native clients send none. The desktop app's pages send
 * `file://` or `null`; our web dashboard is served from a loopback address.
 */
export function isAllowedOrigin(origin: string | undefined, policy: HostPolicy): boolean {
  if (origin === undefined || origin === 'null' || origin === 'file://') return true;
  try {
    const url = new URL(origin);
    return isAllowedHostName(url.hostname.replace(/^\[|\]$/g, ''), policy);
  } catch {
    return false;
  }
}
