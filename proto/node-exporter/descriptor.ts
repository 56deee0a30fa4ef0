// What generic code needs to know about node_exporter: ports, path, capabilities, ranks.

import type { ProtocolInfo } from '../protocols';

/** Our own agent's Prometheus port, which serves node_exporter's names: a bare host finds it too. */
export const FLEETWATCH_METRICS_PORT = 9464;

export const nodeExporterProtocol: ProtocolInfo = {
  id: 'node-exporter',
  transport: 'http',
  label: 'node_exporter',
  variant: 'text exposition',
  defaultPort: 9100,
  extraPorts: [{ port: FLEETWATCH_METRICS_PORT, secure: false }],
  defaultPath: '/metrics',
  capabilities: ['cpu', 'cpuPerCore', 'cpuTemp', 'load', 'memory', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'gpuPower', 'disks', 'network', 'uptime', 'hostInfo'],
  lacks: 'No processes or server alerts; CPU and traffic rates start with the second scrape, and GPUs only where DCGM or nvidia_smi series share the endpoint.',
  mergeRank: 8,
  localRank: 8,
};
