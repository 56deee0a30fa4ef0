// What generic code needs to know about the vStats protocol: ports, path, credential, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const vstatsProtocol: ProtocolInfo = {
  id: 'vstats',
  transport: 'ws',
  label: 'vStats',
  variant: 'vstats',
  defaultPort: 3001,
  defaultPath: '/ws',
  capabilities: ['cpu', 'cpuPerCore', 'load', 'memory', 'memoryBytes', 'swap', 'disks', 'diskPercent', 'network', 'uptime', 'multiHost', 'hostInfo', 'gpu', 'gpuTemp', 'gpuPower'],
  lacks: 'No processes or alerts. Per-core CPU, load, swap and GPUs come only from agents that report them, and a real vStats hub sends them in its first snapshot only.',
  mergeRank: 2,
  localRank: 5,
  discoveryPortKey: 'vstats_port',
};
