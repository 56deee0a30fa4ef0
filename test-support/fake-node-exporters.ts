// Many node_exporters on loopback in one process: a fixture for a fleet these machines do not have, for a
// real Prometheus to scrape. Each fake is an HTTP server on its own port answering /metrics with the series
// node_exporter 1.5 names (the ones a Prometheus source reads), with counters that advance with the clock
// and a CPU that wanders per host. Each answer is built when scraped, so hundreds cost little between scrapes.

import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeNodeExporter {
  hostname: string;
  port: number;
  /** `127.0.0.1:<port>`, as a Prometheus scrape target. */
  target: string;
}

export interface FakeNodeExporters {
  hosts: FakeNodeExporter[];
  /** Scrapes answered so far, across every fake. */
  scrapes(): number;
  close(): Promise<void>;
}

const CORES = 4;
const GIB = 1024 ** 3;

/** The exposition one fake answers at `nowMs`. */
export function nodeExporterText(hostname: string, seed: number, nowMs: number, bootMs: number): string {
  const upSec = (nowMs - bootMs) / 1000;
  const busy = 0.2 + 0.15 * Math.sin(nowMs / 20_000 + seed) + (seed % 7) / 100;
  const lines: string[] = ['# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.', '# TYPE node_cpu_seconds_total counter'];
  for (let cpu = 0; cpu < CORES; cpu += 1) {
    lines.push(`node_cpu_seconds_total{cpu="${cpu}",mode="idle"} ${(upSec * (1 - busy)).toFixed(2)}`);
    lines.push(`node_cpu_seconds_total{cpu="${cpu}",mode="system"} ${(upSec * busy * 0.3).toFixed(2)}`);
    lines.push(`node_cpu_seconds_total{cpu="${cpu}",mode="user"} ${(upSec * busy * 0.7).toFixed(2)}`);
  }
  const total = 16 * GIB;
  const available = total * (0.5 + (seed % 30) / 100);
  lines.push(
    '# TYPE node_memory_MemTotal_bytes gauge',
    `node_memory_MemTotal_bytes ${total}`,
    '# TYPE node_memory_MemAvailable_bytes gauge',
    `node_memory_MemAvailable_bytes ${Math.round(available)}`,
    '# TYPE node_memory_SwapTotal_bytes gauge',
    `node_memory_SwapTotal_bytes ${2 * GIB}`,
    '# TYPE node_memory_SwapFree_bytes gauge',
    `node_memory_SwapFree_bytes ${2 * GIB}`,
    '# TYPE node_load1 gauge',
    `node_load1 ${(busy * CORES).toFixed(2)}`,
    '# TYPE node_load5 gauge',
    `node_load5 ${(busy * CORES).toFixed(2)}`,
    '# TYPE node_load15 gauge',
    `node_load15 ${(busy * CORES).toFixed(2)}`,
    '# TYPE node_boot_time_seconds gauge',
    `node_boot_time_seconds ${Math.floor(bootMs / 1000)}`,
    '# TYPE node_time_seconds gauge',
    `node_time_seconds ${(nowMs / 1000).toFixed(3)}`,
    '# TYPE node_filesystem_size_bytes gauge',
    `node_filesystem_size_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} ${100 * GIB}`,
    '# TYPE node_filesystem_avail_bytes gauge',
    `node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} ${(40 + (seed % 50)) * GIB}`,
    '# TYPE node_filesystem_free_bytes gauge',
    `node_filesystem_free_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} ${(45 + (seed % 50)) * GIB}`,
    '# TYPE node_network_receive_bytes_total counter',
    `node_network_receive_bytes_total{device="eth0"} ${Math.round(upSec * 50_000 * (1 + (seed % 5)))}`,
    `node_network_receive_bytes_total{device="lo"} ${Math.round(upSec * 1000)}`,
    '# TYPE node_network_transmit_bytes_total counter',
    `node_network_transmit_bytes_total{device="eth0"} ${Math.round(upSec * 20_000 * (1 + (seed % 3)))}`,
    `node_network_transmit_bytes_total{device="lo"} ${Math.round(upSec * 1000)}`,
    '# TYPE node_uname_info gauge',
    `node_uname_info{domainname="(none)",machine="x86_64",nodename="${hostname}",release="6.1.0-28-amd64",sysname="Linux",version="#1 SMP Debian 6.1.119-1"} 1`,
    '# TYPE node_os_info gauge',
    'node_os_info{id="debian",name="Debian GNU/Linux",pretty_name="Debian GNU/Linux 12 (bookworm)",version="12 (bookworm)",version_id="12"} 1',
  );
  return lines.join('\n') + '\n';
}

export async function startFakeNodeExporters(count: number): Promise<FakeNodeExporters> {
  const servers: http.Server[] = [];
  const hosts: FakeNodeExporter[] = [];
  let scrapes = 0;
  const startedMs = Date.now();
  for (let index = 0; index < count; index += 1) {
    const hostname = `fake-node-${String(index + 1).padStart(4, '0')}`;
    const bootMs = startedMs - (3600 + index * 97) * 1000;
    const server = http.createServer((request, response) => {
      if (request.url !== '/metrics') {
        response.statusCode = 404;
        response.end('404 page not found\n');
        return;
      }
      scrapes += 1;
      response.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
      response.end(nodeExporterText(hostname, index, Date.now(), bootMs));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const { port } = server.address() as AddressInfo;
    hosts.push({ hostname, port, target: `127.0.0.1:${port}` });
  }
  return {
    hosts,
    scrapes: () => scrapes,
    close: () => Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))))).then(() => undefined),
  };
}
