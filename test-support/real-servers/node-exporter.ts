// Debian's prometheus-node-exporter on loopback (its systemd collector needs a bus these machines lack, so it is off).

import { startDaemon, type RealServer } from './daemon';

export function startNodeExporter(): Promise<RealServer> {
  return startDaemon({
    name: 'node_exporter',
    binary: '/usr/bin/prometheus-node-exporter',
    debianPackage: 'prometheus-node-exporter',
    args: (port) => [`--web.listen-address=127.0.0.1:${port}`, '--no-collector.systemd'],
    readyPath: '/metrics',
  });
}
