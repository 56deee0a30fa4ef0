// The catalog of the five wire protocols: one id per protocol, used for folders, registries, flags,
// settings keys, log tags and test titles. Pure data; nothing here does I/O.

import type { Capability } from './model';

/**
 * Detection order, and the order probes are sent in. SysMedic and vStats speak first and need no probe;
 * `subscribe:usage` must be the first frame sent because a GPU reference server closes on anything else;
 * ServerControl answers its ping at once (its unprompted stats come only once a second); socktop is silent
 * until asked.
 */
export const PROTOCOL_IDS = ['sysmedic', 'vstats', 'gpu-usage', 'servercontrol', 'socktop'] as const;

export type ProtocolId = (typeof PROTOCOL_IDS)[number];

export interface ProtocolInfo {
  id: ProtocolId;
  /** Human name. */
  label: string;
  /** The variant name PROTOCOLS.md and the product use (`subscribe`, `ping`, ...). */
  variant: string;
  /** WebSocket port a client tries when only a host is given. */
  defaultPort: number;
  /** Path our client connects to; servers that ignore the path get it too. */
  defaultPath: string;
  capabilities: readonly Capability[];
  /** What a user should know the protocol cannot carry. */
  lacks?: string;
}

export const PROTOCOLS: Record<ProtocolId, ProtocolInfo> = {
  'gpu-usage': {
    id: 'gpu-usage',
    label: 'GPU usage stream',
    variant: 'subscribe',
    defaultPort: 33931,
    defaultPath: '/usage',
    capabilities: ['cpu', 'memory', 'memoryBytes', 'gpu', 'hostInfo'],
    lacks: 'Reports GPU 0 only; no per-core CPU, disks, network, processes or temperatures.',
  },
  servercontrol: {
    id: 'servercontrol',
    label: 'ServerControl',
    variant: 'ping',
    defaultPort: 8082,
    defaultPath: '/',
    capabilities: ['cpu', 'memory', 'memoryBytes', 'alerts', 'tasks'],
    lacks: 'Reports CPU total and RAM only; no GPU, disks, network or processes.',
  },
  socktop: {
    id: 'socktop',
    label: 'socktop',
    variant: 'protobuf',
    defaultPort: 3000,
    defaultPath: '/ws',
    capabilities: ['cpu', 'cpuPerCore', 'cpuTemp', 'memory', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'disks', 'network', 'processes'],
    lacks: 'No load average, uptime or server alerts.',
  },
  vstats: {
    id: 'vstats',
    label: 'vStats',
    variant: 'vstats',
    defaultPort: 3001,
    defaultPath: '/ws',
    capabilities: ['cpu', 'memory', 'memoryBytes', 'disks', 'diskPercent', 'network', 'uptime', 'multiHost', 'hostInfo', 'gpu'],
    lacks: 'No per-core CPU, processes or alerts; GPUs only from real vStats agents.',
  },
  sysmedic: {
    id: 'sysmedic',
    label: 'SysMedic',
    variant: 'request_id',
    defaultPort: 8060,
    defaultPath: '/ws',
    capabilities: ['cpu', 'memory', 'diskPercent', 'uptime', 'load', 'alerts', 'hostInfo'],
    lacks: 'Reports percentages only; no GPU, per-core CPU, per-disk usage or processes.',
  },
};

/** socktop's TLS port, tried beside the plain ports when only a host is given. */
export const SOCKTOP_TLS_PORT = 8443;
