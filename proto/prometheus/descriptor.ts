// What generic code needs to know about a Prometheus server as a source: port, path, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

export const prometheusProtocol: ProtocolInfo = {
  id: 'prometheus',
  transport: 'http',
  label: 'Prometheus',
  variant: 'PromQL',
  defaultPort: 9090,
  defaultPath: '/',
  capabilities: ['cpu', 'cpuPerCore', 'load', 'memory', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'gpuPower', 'disks', 'network', 'uptime', 'hostInfo', 'multiHost'],
  lacks: "Reads what its targets export under node_exporter's and DCGM's names: no processes, CPU temperature or server alerts, and CPU and network are averaged over the last minute.",
  mergeRank: 9,
  localRank: 9,
};
