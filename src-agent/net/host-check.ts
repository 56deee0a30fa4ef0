// Which Host and Origin headers the agent answers, against DNS rebinding and foreign pages. A page on
// evil.example that re-points its name at 127.0.0.1 still sends `Host: evil.example`, so Host may be any
// address (a LAN client connecting by IP), `localhost`, this machine's names, or a name listed with
// --allowed-hosts. Origin is stricter: a page served from any address may open a WebSocket here, so an
// address is allowed only when it is loopback or one of this machine's own.

import { BlockList, isIP } from 'node:net';
import os from 'node:os';

export interface HostPolicy {
  /** Extra names (lower case) the operator allows, e.g. a DNS name the agent is reached by. */
  extraHosts: readonly string[];
}

/** IPv4 rules also match IPv4-mapped IPv6 (`::ffff:127.0.0.1`), so one rule per family covers loopback. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

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

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Read on every check rather than at start: DHCP and VPNs change a machine's addresses while it runs. */
function isOwnAddress(address: string): boolean {
  const own = new BlockList();
  for (const entry of Object.values(os.networkInterfaces()).flat()) {
    if (entry) own.addAddress(entry.address, entry.family === 'IPv6' ? 'ipv6' : 'ipv4');
  }
  return own.check(address, familyOf(address));
}

function isAllowedName(bare: string, policy: HostPolicy): boolean {
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  return machineNames().includes(bare) || policy.extraHosts.includes(bare);
}

export function isAllowedHostName(host: string, policy: HostPolicy): boolean {
  const bare = host.replace(/\.$/, '');
  return isIP(bare) !== 0 || isAllowedName(bare, policy);
}

/** A missing Host (HTTP/1.0 tools) is allowed: a browser always sends one. */
export function isAllowedHost(hostHeader: string | undefined, policy: HostPolicy): boolean {
  return hostHeader === undefined || isAllowedHostName(hostOnly(hostHeader), policy);
}

/**
 * Origins a browser page may connect from. Native clients send none; every page of ours (the agent's
 * dashboard, the hub's, the desktop window, which loads the hub's) is served from a loopback address.
 * `null` is refused: a sandboxed iframe on any web page sends it, as does any file:// page.
 */
export function isAllowedOrigin(origin: string | undefined, policy: HostPolicy): boolean {
  if (origin === undefined) return true;
  let host: string;
  try {
    host = new URL(origin).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return false;
  }
  if (isIP(host) === 0) return isAllowedName(host, policy);
  return LOOPBACK.check(host, familyOf(host)) || isOwnAddress(host);
}
