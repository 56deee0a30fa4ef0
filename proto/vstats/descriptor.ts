// What generic code needs to know about the vStats protocol: ports, path, credential, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const vstatsProtocol: ProtocolInfo = {
  id: 'vstats',
  label: 'vStats',
  variant: 'vstats',
  defaultPort: 3001,
  defaultPath: '/ws',
  capabilities: ['cpu', 'memory', 'memoryBytes', 'disks', 'diskPercent', 'network', 'uptime', 'multiHost', 'hostInfo', 'gpu'],
  lacks: 'No per-core CPU, processes or alerts; GPUs only from real vStats agents.',
  mergeRank: 2,
  localRank: 5,
  discoveryPortKey: 'vstats_port',
};
