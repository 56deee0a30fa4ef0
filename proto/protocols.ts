// The catalog of the sources we read: five WebSocket protocols and four HTTP ones. One id per source, used for folders, registries, flags,
// settings keys, log tags and test titles, and the registry of their descriptors (each in its own folder,
// proto/<id>/descriptor.ts): generic code reads every per-protocol fact from there. Pure data.

import { glancesProtocol } from './glances/descriptor';
import { gpuUsageProtocol } from './gpu-usage/descriptor';
import type { Capability } from './model';
import { netdataProtocol } from './netdata/descriptor';
import { nodeExporterProtocol } from './node-exporter/descriptor';
import { prometheusProtocol } from './prometheus/descriptor';
import { servercontrolProtocol } from './servercontrol/descriptor';
import { socktopProtocol } from './socktop/descriptor';
import { sysmedicProtocol } from './sysmedic/descriptor';
import { vstatsProtocol } from './vstats/descriptor';

/**
 * Detection order, and the order probes are sent in. SysMedic and vStats speak first and need no probe;
 * `subscribe:usage` must be the first frame sent because a GPU reference server closes on anything else;
 * ServerControl answers its ping at once (its unprompted stats come only once a second); socktop is silent
 * until asked.
 */
export const STREAM_PROTOCOL_IDS = ['sysmedic', 'vstats', 'gpu-usage', 'servercontrol', 'socktop'] as const;

/**
 * Sources read over HTTP by polling (proto/http-source.ts), fingerprinted in this order: the specific
 * answers first (Prometheus' build info, Glances' and Netdata's APIs), then any text exposition with node_ series.
 */
export const POLLED_SOURCE_IDS = ['prometheus', 'glances', 'netdata', 'node-exporter'] as const;

export const PROTOCOL_IDS = [...STREAM_PROTOCOL_IDS, ...POLLED_SOURCE_IDS] as const;

export type ProtocolId = (typeof PROTOCOL_IDS)[number];
/** The protocols our agent serves and reads over a WebSocket. */
export type StreamProtocolId = (typeof STREAM_PROTOCOL_IDS)[number];
export type PolledSourceId = (typeof POLLED_SOURCE_IDS)[number];

export interface ProtocolInfo {
  id: ProtocolId;
  /** WebSocket streams, or HTTP answers the hub polls. */
  transport: 'ws' | 'http';
  /** Human name. */
  label: string;
  /** The variant name PROTOCOLS.md and the product use (`subscribe`, `ping`, ...). */
  variant: string;
  /** The port a client tries when only a host is given. */
  defaultPort: number;
  /** Further ports a bare host is tried on, e.g. socktop's TLS port. */
  extraPorts?: readonly { port: number; secure: boolean }[];
  /** Path our client connects to; servers that ignore the path get it too. */
  defaultPath: string;
  /** A URL scheme that names this protocol (`sysmedic:`), with its default port. */
  scheme?: string;
  capabilities: readonly Capability[];
  /** What a user should know the protocol cannot carry. */
  lacks?: string;
  /** The credential its servers may refuse to go without. */
  credential?: CredentialInfo;
  /** Merging several protocols of one machine, the lowest rank's fields win: the richest protocol ranks first. */
  mergeRank: number;
  /** Which of our own agent's endpoints "This computer" reads: the lowest rank it serves. */
  localRank: number;
  /** The key of ServerControl's discovery answer that carries this protocol's port, for our agent's other protocols. */
  discoveryPortKey?: string;
}

export interface CredentialInfo {
  /** Which of a target's credentials it is; it travels as the query parameter of the same name. */
  kind: 'secret' | 'token';
  /** What the UI calls it ("SysMedic secret"). */
  label: string;
  /** Who asks for it, in a sentence ("a SysMedic server needs its secret"). */
  askedBy: string;
}

export const PROTOCOLS: Record<ProtocolId, ProtocolInfo> = {
  'gpu-usage': gpuUsageProtocol,
  servercontrol: servercontrolProtocol,
  socktop: socktopProtocol,
  vstats: vstatsProtocol,
  sysmedic: sysmedicProtocol,
  'node-exporter': nodeExporterProtocol,
  prometheus: prometheusProtocol,
  glances: glancesProtocol,
  netdata: netdataProtocol,
};

/** The protocols whose servers may refuse a missing or wrong credential. */
export const CREDENTIALED_IDS: readonly ProtocolId[] = PROTOCOL_IDS.filter((id) => PROTOCOLS[id].credential !== undefined);

/** The credentials these protocols read, one per kind (a target carries one secret and one token), in the order given. */
export function credentialsFor(ids: Iterable<ProtocolId>): CredentialInfo[] {
  const credentials: CredentialInfo[] = [];
  for (const id of ids) {
    const credential = PROTOCOLS[id].credential;
    if (credential && !credentials.some((known) => known.kind === credential.kind)) credentials.push(credential);
  }
  return credentials;
}

/** Every port a bare host is tried on for this protocol, its default first. */
export function portsOf(id: ProtocolId, secure: boolean): { port: number; secure: boolean }[] {
  return [{ port: PROTOCOLS[id].defaultPort, secure }, ...(PROTOCOLS[id].extraPorts ?? [])];
}
