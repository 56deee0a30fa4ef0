// ServerControl UDP discovery as a server answers it: the exact request bytes and the SERVER_RESPONSE it
// sends back. Pure; the agent's responder does the sockets. Reading answers is proto/discovery's job.

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
  gpu_usage_port?: number;
  socktop_port?: number;
  vstats_port?: number;
  sysmedic_port?: number;
  agent: 'fleetwatch';
}

export interface DiscoveryAnswerFacts {
  hostname: string;
  httpPort?: number;
  wsPort: number;
  discoveryPort: number;
  /** Plain WebSocket ports of the other protocols that are running. */
  otherPorts: { gpuUsage?: number; socktop?: number; vstats?: number; sysmedic?: number };
}

export function encodeServerResponse(facts: DiscoveryAnswerFacts): ServerResponseMessage {
  const { otherPorts } = facts;
  return {
    type: 'SERVER_RESPONSE',
    hostname: facts.hostname,
    ...(facts.httpPort === undefined ? {} : { port: facts.httpPort }),
    ws_port: facts.wsPort,
    discovery_port: facts.discoveryPort,
    ...(otherPorts.gpuUsage === undefined ? {} : { gpu_usage_port: otherPorts.gpuUsage }),
    ...(otherPorts.socktop === undefined ? {} : { socktop_port: otherPorts.socktop }),
    ...(otherPorts.vstats === undefined ? {} : { vstats_port: otherPorts.vstats }),
    ...(otherPorts.sysmedic === undefined ? {} : { sysmedic_port: otherPorts.sysmedic }),
    agent: 'fleetwatch',
  };
}
