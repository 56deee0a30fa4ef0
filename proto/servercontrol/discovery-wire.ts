// ServerControl UDP discovery as a server answers it: the exact request bytes and the SERVER_RESPONSE it
// sends back. Pure; the agent's responder does the sockets. Reading answers is proto/discovery's job.

import { PROTOCOL_IDS, PROTOCOLS, type ProtocolId } from '../protocols';

/** The whole request: 15 ASCII bytes, no newline. */
export const DISCOVER_REQUEST = 'DISCOVER_SERVER';

/** Real servers ignore any datagram longer than this. */
export const MAX_DISCOVERY_REQUEST_BYTES = 128;

const REQUEST_BYTES = Array.from(DISCOVER_REQUEST, (character) => character.charCodeAt(0));

/** True only for exactly `DISCOVER_SERVER`: no newline, no padding, no prefix. */
export function isDiscoverRequest(datagram: Uint8Array): boolean {
  return datagram.length === REQUEST_BYTES.length && REQUEST_BYTES.every((byte, index) => datagram[index] === byte);
}

/** The answer. Keys after `discovery_port` are ours: real clients ignore extra keys. */
export interface ServerResponseMessage {
  type: 'SERVER_RESPONSE';
  hostname: string;
  /** HTTP API port. */
  port?: number;
  /** WebSocket stream port. */
  ws_port: number;
  /** The UDP port the request arrived on. */
  discovery_port: number;
  /** Each other protocol's port, under its descriptor's `discoveryPortKey` (gpu_usage_port, socktop_port, …). */
  [portKey: `${string}_port`]: number | undefined;
  agent: 'fleetwatch';
}

export interface DiscoveryAnswerFacts {
  hostname: string;
  httpPort?: number;
  wsPort: number;
  discoveryPort: number;
  /** Plain WebSocket ports of the other protocols that are running. */
  otherPorts: Partial<Record<ProtocolId, number>>;
}

export function encodeServerResponse(facts: DiscoveryAnswerFacts): ServerResponseMessage {
  const { otherPorts } = facts;
  return {
    type: 'SERVER_RESPONSE',
    hostname: facts.hostname,
    ...(facts.httpPort === undefined ? {} : { port: facts.httpPort }),
    ws_port: facts.wsPort,
    discovery_port: facts.discoveryPort,
    ...Object.fromEntries(PROTOCOL_IDS.flatMap((id) => (PROTOCOLS[id].discoveryPortKey && otherPorts[id] !== undefined ? [[PROTOCOLS[id].discoveryPortKey, otherPorts[id]]] : []))),
    agent: 'fleetwatch',
  };
}
