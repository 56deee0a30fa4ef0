// What generic code needs to know about the GPU usage stream protocol: ports, path, credential, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const gpuUsageProtocol: ProtocolInfo = {
  id: 'gpu-usage',
  transport: 'ws',
  label: 'GPU usage stream',
  variant: 'subscribe',
  defaultPort: 33931,
  defaultPath: '/usage',
  capabilities: ['cpu', 'memory', 'memoryBytes', 'gpu', 'hostInfo'],
  lacks: 'Reports GPU 0 only; no per-core CPU, disks, network, processes or temperatures.',
  mergeRank: 3,
  localRank: 2,
  discoveryPortKey: 'gpu_usage_port',
};
