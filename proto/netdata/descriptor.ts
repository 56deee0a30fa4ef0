// What generic code needs to know about the Netdata source: port, path, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const netdataProtocol: ProtocolInfo = {
  id: 'netdata',
  transport: 'http',
  label: 'Netdata',
  variant: 'REST API',
  defaultPort: 19999,
  defaultPath: '/',
  capabilities: ['cpu', 'cpuPerCore', 'cpuTemp', 'load', 'memory', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'gpuPower', 'disks', 'network', 'uptime', 'hostInfo'],
  lacks: 'No processes, CPU model or server alerts; CPU temperature needs its sensors collector and GPUs its nvidia_smi collector, both off by default.',
  mergeRank: 7,
  localRank: 7,
};
