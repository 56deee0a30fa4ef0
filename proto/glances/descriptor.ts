// What generic code needs to know about Glances' REST API: port, path, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const glancesProtocol: ProtocolInfo = {
  id: 'glances',
  transport: 'http',
  label: 'Glances',
  variant: 'REST API',
  defaultPort: 61208,
  defaultPath: '/',
  capabilities: ['cpu', 'cpuPerCore', 'cpuTemp', 'load', 'memory', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'disks', 'network', 'uptime', 'processes', 'hostInfo'],
  lacks: 'No GPU power or GPU memory in bytes (Glances gives GPU memory only as a percentage), and no server alerts.',
  mergeRank: 6,
  localRank: 6,
};
