// The servers as data: the entries "Add server" and the discovery panel hand the hub, the credentials a
// discovered host's protocols read, and what removing a server takes out of the settings.

import type { Endpoint } from '../../proto/client';
import { detectedEndpoints, distinctEndpoints, type Detection } from '../../proto/detect';
import type { DiscoveredHost } from '../../proto/discovery';
import { credentialsFor, PROTOCOLS, type CredentialInfo, type ProtocolId } from '../../proto/protocols';
import { urlHost } from '../../proto/target';
import type { ServerEntry, Settings } from '../platform/settings';
import type { Credentials } from '../../fleet/detect-server';


/** An entry with what detection found; with nothing found, an entry the app keeps detecting until it answers. */
export function entryFromDetection(options: { id: string; input: string; name?: string; found: readonly Detection[]; nowMs: number }): ServerEntry {
  const name = options.name?.trim();
  return {
    id: options.id,
    input: options.input.trim(),
    ...(name ? { name } : {}),
    endpoints: detectedEndpoints(options.found),
    addedAtMs: options.nowMs,
  };
}

/**
 * The address with the secret or token typed beside it carried as ?secret= / ?token=, which the detector
 * reads, so an entry detected later asks with them too. A parameter the address already has is kept.
 */
export function inputWithCredentials(input: string, credentials: { secret?: string; token?: string }): string {
  let result = input.trim();
  for (const [name, value] of [['secret', credentials.secret], ['token', credentials.token]] as const) {
    if (!value || new RegExp(`[?&]${name}=`, 'i').test(result)) continue;
    result += `${result.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
  }
  return result;
}

/** Every protocol a discovered host advertises, at the protocol's usual path. */
export function discoveredEndpoints(host: DiscoveredHost): Endpoint[] {
  return distinctEndpoints(host.protocols.map(({ protocol, port }) => ({ protocol, url: `ws://${urlHost(host.address)}:${port}${PROTOCOLS[protocol].defaultPath}` })));
}

/** The server a discovered host becomes, each credential given put into the endpoints of the protocols that read it. */
export function entryFromDiscovery(host: DiscoveredHost, id: string, nowMs: number, credentials: Credentials = {}): ServerEntry {
  const endpoints = discoveredEndpoints(host).map((endpoint) => {
    const kind = PROTOCOLS[endpoint.protocol].credential?.kind;
    const value = kind === undefined ? undefined : credentials[kind];
    return value ? withCredential(endpoint, value) : endpoint;
  });
  return { id, input: host.address, name: host.hostname, endpoints, addedAtMs: nowMs };
}

/** The credentials a discovered host's protocols may want, one per kind, as their descriptors name them. */
export function discoveredCredentials(host: DiscoveredHost): CredentialInfo[] {
  return credentialsFor(host.protocols.map(({ protocol }) => protocol));
}

/** The configured server that already reads this discovered host, if any. */
export function serverForDiscovered(servers: readonly ServerEntry[], host: DiscoveredHost): ServerEntry | undefined {
  const urls = new Set(discoveredEndpoints(host).map((endpoint) => withoutQuery(endpoint.url)));
  return servers.find((entry) => entry.endpoints.some((endpoint) => urls.has(withoutQuery(endpoint.url))));
}

/** Removes a server and the per-host alert overrides of its cards. */
export function removeServer(settings: Settings, id: string): Settings {
  const overrides = Object.fromEntries(Object.entries(settings.alerts.overrides).filter(([hostKey]) => hostKey !== id && !hostKey.startsWith(`${id}/`)));
  return { ...settings, servers: settings.servers.filter((entry) => entry.id !== id), alerts: { ...settings.alerts, overrides } };
}

/** The endpoint with its protocol's credential put in (replacing any it had). */
export function withCredential(endpoint: Endpoint, credential: string): Endpoint {
  const url = new URL(endpoint.url);
  url.searchParams.delete('token');
  url.searchParams.delete('secret');
  if (credential) url.searchParams.set(PROTOCOLS[endpoint.protocol].credential?.kind ?? 'token', credential);
  return { ...endpoint, url: url.toString() };
}

/** Which credential a protocol takes, if any. */
export function credentialName(protocol: ProtocolId): string | undefined {
  return PROTOCOLS[protocol].credential?.label;
}

function withoutQuery(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

