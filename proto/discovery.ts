// ServerControl's UDP discovery answers, all three generations, read into one model (what a server sends is
// encoded in servercontrol/discovery-wire.ts). Pure: the scanner in src-agent does the sockets. Oldest servers omit ws_port (8082); a later generation names ws_main,
// ws_stats, ws_files and ws_desktop (the stats stream is ws_stats); our agent adds its other protocols.

import { z } from 'zod';
import { PROTOCOL_IDS, PROTOCOLS, type ProtocolId } from './protocols';
import { parseJson } from './units';

export { DISCOVER_REQUEST } from './servercontrol/discovery-wire';

/** The first generation answers on 8081, later ones on 2031. */
export const DISCOVERY_PORTS = [8081, 2031] as const;
/** The stream port of the oldest servers, which do not advertise it. */
export const LEGACY_WS_PORT = 8082;

const port = z.number().int().min(1).max(65535);

const responseSchema = z.object({
  type: z.literal('SERVER_RESPONSE'),
  hostname: z.string().max(255).optional(),
  port: port.optional(),
  ws_port: port.optional(),
  ws_stats: port.optional(),
  ws_main: port.optional(),
  discovery_port: port.optional(),
  agent: z.string().max(64).optional(),
});

/** Our agent's other protocols, each under its descriptor's key. */
const OTHER_PORT_KEYS = PROTOCOL_IDS.flatMap((id) => (PROTOCOLS[id].discoveryPortKey ? [{ id, key: PROTOCOLS[id].discoveryPortKey }] : []));
const otherPortsSchema = z.object(Object.fromEntries(OTHER_PORT_KEYS.map(({ key }) => [key, port.optional()])));

export interface DiscoveryAnswer {
  hostname: string;
  /** Every protocol the host advertises, with its port; ServerControl's stream is always among them. */
  protocols: { protocol: ProtocolId; port: number }[];
  /** ServerControl's HTTP port, where advertised. */
  httpPort?: number;
  /** Whether the answer came from our agent (it advertises all five protocols). */
  isFleetWatchAgent: boolean;
}

/** One host that answered a LAN discovery scan. */
export interface DiscoveredHost extends DiscoveryAnswer {
  /** IP address the answer came from; hosts are deduplicated by it. */
  address: string;
  lastSeenMs: number;
}

/** Reads one answer datagram; null for anything that is not a SERVER_RESPONSE. */
export function decodeDiscoveryAnswer(text: string, fromAddress: string): DiscoveryAnswer | null {
  const json = parseJson(text);
  const parsed = responseSchema.safeParse(json);
  const others = otherPortsSchema.safeParse(json);
  if (!parsed.success || !others.success) return null;
  const answer = parsed.data;
  // The answer is ServerControl's own: its stream port is always there, under one of three generations' keys.
  const protocols: DiscoveryAnswer['protocols'] = [{ protocol: 'servercontrol', port: answer.ws_port ?? answer.ws_stats ?? LEGACY_WS_PORT }];
  for (const { id, key } of OTHER_PORT_KEYS) {
    const extraPort = (others.data as Record<string, number | undefined>)[key];
    if (extraPort !== undefined) protocols.push({ protocol: id, port: extraPort });
  }
  return {
    hostname: answer.hostname || fromAddress,
    protocols,
    ...(answer.port !== undefined ? { httpPort: answer.port } : {}),
    isFleetWatchAgent: answer.agent === 'fleetwatch',
  };
}

export interface DiscoveryState {
  scanning: boolean;
  hosts: DiscoveredHost[];
  lastScanAtMs?: number;
  /** Why the last scan could not run, if it could not. */
  error?: string;
}
