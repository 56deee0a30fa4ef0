// What generic code needs to know about the socktop protocol: ports, path, credential, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

/** socktop's TLS port, tried beside the plain ports when only a host is given. */
export const SOCKTOP_TLS_PORT = 8443;

export const socktopProtocol: ProtocolInfo = {
  id: 'socktop',
  transport: 'ws',
  label: 'socktop',
  variant: 'protobuf',
  defaultPort: 3000,
  defaultPath: '/ws',
  capabilities: ['cpu', 'cpuPerCore', 'cpuTemp', 'memory', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'disks', 'network', 'processes'],
  lacks: 'No load average, uptime or server alerts.',
  extraPorts: [{ port: SOCKTOP_TLS_PORT, secure: true }],
  credential: { kind: 'token', label: 'socktop token', askedBy: 'a socktop agent started with a token needs that token' },
  mergeRank: 1,
  localRank: 1,
  discoveryPortKey: 'socktop_port',
};
