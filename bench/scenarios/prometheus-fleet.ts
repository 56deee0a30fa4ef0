// A fleet far larger than a LAN reaching the hub through one source: 200 hosts behind one Prometheus. The
// hosts are node_exporter fakes on loopback (test-support/fake-node-exporters.ts, a fixture for a fleet these
// machines lack), scraped by the real Prometheus every 5 s; the hub is told of the Prometheus alone, through
// a proxy that counts what each of its polls costs. Figures: time until all 200 are live, hub CPU per host,
// and per poll interval the requests, the bytes of the answers and how long Prometheus took. In-process: how
// long the node_exporter parser takes over a 16 MB scrape (the cap).

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseExposition } from '../../proto/node-exporter/exposition';
import { NODE_METRIC_NAMES } from '../../proto/node-exporter/node-reading';
import { prometheusClient } from '../../proto/prometheus/client';
import { nodeExporterText, startFakeNodeExporters, type FakeNodeExporters } from '../../test-support/fake-node-exporters';
import { followHub } from '../../test-support/hub-stream';
import { startPrometheus } from '../../test-support/real-servers/prometheus';
import type { RealServer } from '../../test-support/real-servers/daemon';
import { spawnHub, tempDataDir, type SpawnedAgent } from '../../test-support/test-agent';
import { measureWindow } from '../lib/process-meter';
import { percentile } from '../lib/stats';
import type { Figure } from '../lib/figures';

const HOSTS = 200;
const SCRAPE_INTERVAL_SECONDS = 5;
const TOKEN = 'bench-prometheus-fleet';
const SETTLE_MS = 15_000;
/** A whole minute: twelve of the source's 5 s polls. */
const CPU_WINDOW_MS = 60_000;
const SIXTEEN_MB = 16 * 1024 * 1024;

interface Forwarded {
  atMs: number;
  bytes: number;
  durationMs: number;
}

/** Forwards every request to Prometheus and records what each answer cost. */
async function countingProxy(upstreamPort: number): Promise<{ port: number; log: Forwarded[]; close(): Promise<void> }> {
  const log: Forwarded[] = [];
  const server = http.createServer((request, response) => {
    const startedMs = performance.now();
    const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, path: request.url, method: request.method, headers: request.headers }, (answer) => {
      let bytes = 0;
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('data', (chunk: Buffer) => (bytes += chunk.length));
      answer.on('end', () => log.push({ atMs: Date.now(), bytes, durationMs: performance.now() - startedMs }));
      answer.pipe(response);
    });
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, log, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

export async function prometheusFleet(): Promise<Figure[]> {
  let fakes: FakeNodeExporters | undefined;
  let prometheus: RealServer | undefined;
  let proxy: Awaited<ReturnType<typeof countingProxy>> | undefined;
  let hub: SpawnedAgent | undefined;
  const dir = tempDataDir();
  try {
    fakes = await startFakeNodeExporters(HOSTS);
    prometheus = await startPrometheus({ scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS, jobs: [{ name: 'node', targets: fakes.hosts.map((host) => host.target) }] });
    proxy = await countingProxy(prometheus.port);
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `http://127.0.0.1:${proxy.port}/ Fleet Prometheus\n`);
    const startedMs = Date.now();
    hub = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir, '--log-level', 'warn'], { timeoutMs: 30_000 });
    let allLiveMs = Number.NaN;
    await followHub(hub.url('hub'), {
      token: TOKEN,
      timeoutMs: 120_000,
      until: (hosts, _message, arrivedMs) => {
        const live = [...hosts.values()].filter((host) => host.status === 'online' && host.protocols.includes('prometheus')).length;
        if (live < HOSTS) return false;
        allLiveMs = arrivedMs - startedMs;
        return true;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const windowStartMs = Date.now();
    const [hubCost, prometheusCost] = await Promise.all([measureWindow(hub.child.pid!, CPU_WINDOW_MS), measureWindow(prometheus.pid, CPU_WINDOW_MS)]);
    const polls = proxy.log.filter((entry) => entry.atMs >= windowStartMs);
    const intervals = CPU_WINDOW_MS / prometheusClient.pollIntervalMs;
    const pollSeconds = prometheusClient.pollIntervalMs / 1000;

    return [
      { id: 'prometheus-fleet-all-live', label: `hub: from start until the ${HOSTS} hosts behind one Prometheus are live`, value: allLiveMs / 1000, unit: 's' },
      { id: 'prometheus-fleet-hub-cpu', label: `hub CPU with ${HOSTS} hosts behind one Prometheus (over a minute)`, value: hubCost.cpuPercent, unit: '% of a core' },
      {
        id: 'prometheus-fleet-hub-cpu-per-host',
        label: `hub CPU per host and ${pollSeconds} s poll behind Prometheus`,
        value: ((hubCost.cpuPercent / 100) * prometheusClient.pollIntervalMs) / HOSTS,
        unit: 'ms',
      },
      // The design: one query a poll, however many hosts.
      { id: 'prometheus-fleet-requests-per-poll', label: `requests to Prometheus per ${pollSeconds} s poll, ${HOSTS} hosts`, value: polls.length / intervals, unit: 'requests', target: 1 },
      { id: 'prometheus-fleet-answer-bytes', label: `bytes Prometheus answers per poll, ${HOSTS} hosts`, value: polls.reduce((sum, entry) => sum + entry.bytes, 0) / Math.max(1, polls.length) / 1000, unit: 'kB' },
      { id: 'prometheus-fleet-query-ms', label: `Prometheus' answer time per poll, ${HOSTS} hosts, median`, value: percentile(polls.map((entry) => entry.durationMs), 50), unit: 'ms' },
      { id: 'prometheus-fleet-prometheus-cpu', label: `Prometheus' own CPU scraping ${HOSTS} hosts at ${SCRAPE_INTERVAL_SECONDS} s and answering`, value: prometheusCost.cpuPercent, unit: '% of a core' },
      parseFigure(),
    ];
  } finally {
    await hub?.stop();
    await proxy?.close();
    await prometheus?.stop();
    await fakes?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The parser over a scrape at the 16 MB cap: 200 fakes' expositions back to back, many times over. */
function parseFigure(): Figure {
  const one = Array.from({ length: HOSTS }, (_, index) => nodeExporterText(`fake-node-${index}`, index, Date.now(), Date.now() - 3_600_000)).join('');
  const body = one.repeat(Math.ceil(SIXTEEN_MB / one.length)).slice(0, SIXTEEN_MB);
  const times: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const startedMs = performance.now();
    parseExposition(body, { names: NODE_METRIC_NAMES });
    times.push(performance.now() - startedMs);
  }
  return { id: 'node-exporter-parse-16mb', label: 'node_exporter parser over a 16 MB scrape (the cap), median of 5', value: percentile(times, 50), unit: 'ms' };
}
