// ServerControl's UDP discovery answers, all three generations, read into one model (what a server sends is
// encoded in servercontrol/discovery-wire.ts). Pure: the scanner in src-agent does the sockets. Oldest servers omit ws_port (8082); a later generation names ws_main,
// ws_stats, ws_files and ws_desktop (the stats stream is ws_stats); our agent adds its other protocols.

import { z } from 'zod';
import type { ProtocolId } from './protocols';
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
  gpu_usage_port: port.optional(),
  socktop_port: port.optional(),
  vstats_port: port.optional(),
  sysmedic_port: port.optional(),
});

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
  const parsed = responseSchema.safeParse(parseJson(text));
  if (!parsed.success) return null;
  const answer = parsed.data;
  const protocols: DiscoveryAnswer['protocols'] = [{ protocol: 'servercontrol', port: answer.ws_port ?? answer.ws_stats ?? LEGACY_WS_PORT }];
  const extras: [ProtocolId, number | undefined][] = [
    ['gpu-usage', answer.gpu_usage_port],
    ['socktop', answer.socktop_port],
    ['vstats', answer.vstats_port],
    ['sysmedic', answer.sysmedic_port],
  ];
  for (const [protocol, extraPort] of extras) if (extraPort !== undefined) protocols.push({ protocol, port: extraPort });
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
