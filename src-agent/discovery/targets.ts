// Where a discovery scan sends DISCOVER_SERVER. By default: the limited broadcast address and each
// IPv4 interface's directed broadcast address. FLEETWATCH_DISCOVERY_TARGETS overrides it (tests, CI and
// development set it to loopback so no scan ever leaves the machine).

import os from 'node:os';

export const DISCOVERY_TARGETS_ENV = 'FLEETWATCH_DISCOVERY_TARGETS';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseTargetList(text: string): string[] {
  const targets = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const target of targets) {
    const match = IPV4.exec(target);
    if (!match || match.slice(1).some((octet) => Number(octet) > 255)) throw new Error(`${DISCOVERY_TARGETS_ENV}: "${target}" is not an IPv4 address`);
  }
  return targets;
}

/** The directed broadcast address of an IPv4 interface: address OR NOT netmask. */
export function directedBroadcast(address: string, netmask: string): string {
  const a = address.split('.').map(Number);
  const m = netmask.split('.').map(Number);
  return a.map((octet, index) => (octet | (~m[index]! & 255)) & 255).join('.');
}

export function defaultDiscoveryTargets(
  env: Readonly<Record<string, string | undefined>> = process.env,
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
): string[] {
  const override = env[DISCOVERY_TARGETS_ENV];
  if (override !== undefined && override.trim() !== '') return parseTargetList(override);
  const targets = new Set(['255.255.255.255']);
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) targets.add(directedBroadcast(entry.address, entry.netmask));
    }
  }
  return [...targets];
}
