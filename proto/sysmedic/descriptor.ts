// What generic code needs to know about the SysMedic protocol: ports, path, credential, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const sysmedicProtocol: ProtocolInfo = {
  id: 'sysmedic',
  transport: 'ws',
  label: 'SysMedic',
  variant: 'request_id',
  defaultPort: 8060,
  defaultPath: '/ws',
  capabilities: ['cpu', 'memory', 'diskPercent', 'uptime', 'load', 'alerts', 'hostInfo'],
  lacks: 'Reports percentages only; no GPU, per-core CPU, per-disk usage or processes.',
  scheme: 'sysmedic:',
  credential: { kind: 'secret', label: 'SysMedic secret', askedBy: 'a SysMedic server needs its secret' },
  mergeRank: 5,
  localRank: 4,
  discoveryPortKey: 'sysmedic_port',
};
