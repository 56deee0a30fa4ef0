// What an agent bound beyond loopback exposes, said once at start: the addresses the LAN reaches it by
// (a wildcard bind's local URLs all say 127.0.0.1) and which listeners answer anyone without a credential.

import { isIP } from 'node:net';
import os from 'node:os';
import type { ListeningEndpoint } from '../../proto/agent-report';
import { connectHost } from './endpoint-url';

export type Interfaces = ReturnType<typeof os.networkInterfaces>;

export function isWildcard(bindHost: string): boolean {
  return bindHost === '0.0.0.0' || bindHost === '::' || bindHost === '';
}

export function isLoopbackBind(bindHost: string): boolean {
  return bindHost === 'localhost' || bindHost === '::1' || (isIP(bindHost) === 4 && bindHost.startsWith('127.'));
}

/** This machine's non-loopback addresses a wildcard bind answers on: IPv4 first; IPv6 (not link-local) for `::`. */
export function lanAddresses(bindHost: string, interfaces: Interfaces = os.networkInterfaces()): string[] {
  const entries = Object.values(interfaces).flatMap((list) => list ?? []).filter((entry) => !entry.internal);
  const v4 = entries.filter((entry) => entry.family === 'IPv4').map((entry) => entry.address);
  const v6 = bindHost === '::' ? entries.filter((entry) => entry.family === 'IPv6' && !entry.address.toLowerCase().startsWith('fe80')).map((entry) => `[${entry.address}]`) : [];
  return [...v4, ...v6];
}

/** The host a client on another machine uses: the first LAN address for a wildcard bind (none before the network is up), else the bind address. */
export function lanHost(bindHost: string, interfaces?: Interfaces): string | undefined {
  return isWildcard(bindHost) ? lanAddresses(bindHost, interfaces)[0] : connectHost(bindHost);
}

/** The endpoint's URL as each LAN address reaches it, for an endpoint bound to a wildcard. */
export function reachableUrls(endpoint: ListeningEndpoint, interfaces?: Interfaces): string[] {
  if (!endpoint.url || !isWildcard(endpoint.host)) return [];
  const url = new URL(endpoint.url);
  return lanAddresses(endpoint.host, interfaces).map((address) => `${url.protocol}//${address}:${url.port}${url.pathname}`);
}

function describe(endpoint: ListeningEndpoint): string {
  return `${endpoint.owner} ${endpoint.role} (${endpoint.kind} :${endpoint.port})`;
}

/** The start lines for an agent bound beyond loopback; none for a loopback bind. */
export function exposureLines(bindHost: string, endpoints: readonly ListeningEndpoint[], interfaces?: Interfaces): string[] {
  if (isLoopbackBind(bindHost)) return [];
  const lines: string[] = [];
  if (isWildcard(bindHost)) {
    const addresses = lanAddresses(bindHost, interfaces);
    lines.push(`listening on every interface: the LAN reaches this machine as ${addresses.length > 0 ? addresses.join(', ') : '(no network address yet)'}; the URLs above are for this machine (127.0.0.1)`);
  }
  const open = endpoints.filter((endpoint) => endpoint.host === bindHost && endpoint.open);
  if (open.length > 0) lines.push(`WARNING: --host ${bindHost} lets anyone who can reach this machine read these without a credential: ${open.map(describe).join(', ')}`);
  return lines;
}
