// Debian's prometheus-node-exporter on loopback (its systemd collector needs a bus these machines lack, so it is off).

import { startDaemon, type ListenAt, type RealServer } from './daemon';

export function startNodeExporter(at?: ListenAt): Promise<RealServer> {
  return startDaemon({
    name: 'node_exporter',
    binary: '/usr/bin/prometheus-node-exporter',
    debianPackage: 'prometheus-node-exporter',
    args: (port, _dataDir, host) => [`--web.listen-address=${host}:${port}`, '--no-collector.systemd'],
    readyPath: '/metrics',
  }, at);
}
