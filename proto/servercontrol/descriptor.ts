// What generic code needs to know about the ServerControl protocol: ports, path, credential, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const servercontrolProtocol: ProtocolInfo = {
  id: 'servercontrol',
  transport: 'ws',
  label: 'ServerControl',
  variant: 'ping',
  defaultPort: 8082,
  defaultPath: '/',
  capabilities: ['cpu', 'memory', 'memoryBytes', 'alerts', 'tasks'],
  lacks: 'Reports CPU total and RAM only; no GPU, disks, network or processes.',
  mergeRank: 4,
  localRank: 3,
};
