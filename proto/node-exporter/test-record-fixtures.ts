// Records this folder's fixtures from the real servers on this machine: `npx tsx proto/node-exporter/test-record-fixtures.ts`.
// Two node_exporter scrapes two seconds apart (so CPU and traffic rates can be checked), trimmed to the
// metrics the reader keeps; two scrapes of our agent with its fake GPUs; node_exporter's landing page; and a
// slice of Prometheus' own /metrics, which a node_exporter fingerprint must refuse.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDaemon } from '../../test-support/real-servers/daemon';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { startTestAgent } from '../../test-support/test-agent';
import { NODE_METRIC_NAMES } from './node-reading';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const SCRAPE_GAP_MS = 2000;
/** Prometheus' own families kept for the fingerprint test: enough to be its real shape, without 40 KB. */
const PROMETHEUS_FAMILIES = /^(go_goroutines|go_info|net_conntrack_dialer_conn_attempted_total|process_cpu_seconds_total|prometheus_build_info|prometheus_http_requests_total|prometheus_ready|prometheus_tsdb_head_series)$/;

async function scrapeTwice(url: string): Promise<[string, string]> {
  const first = await text(url);
  await new Promise((resolve) => setTimeout(resolve, SCRAPE_GAP_MS));
  return [first, await text(url)];
}

async function text(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return response.text();
}

/** The HELP, TYPE and sample lines of the families `keep` accepts, in their order. */
function trim(body: string, keep: (name: string) => boolean): string {
  const lines = body.split('\n').filter((line) => {
    const name = line.startsWith('# ') ? line.split(' ')[2] : line.split(/[{ ]/, 1)[0];
    return name !== undefined && name !== '' && keep(name);
  });
  return `${lines.join('\n')}\n`;
}

function write(name: string, body: string): void {
  writeFileSync(path.join(FIXTURES, name), body);
  console.log(`${name}: ${body.length} bytes`);
}

const nodeExporter = await startNodeExporter();
try {
  const version = /version (\S+)/.exec(execFileSync('/usr/bin/prometheus-node-exporter', ['--version'], { encoding: 'utf8' }))![1]!;
  const scrapes = await scrapeTwice(`${nodeExporter.origin}/metrics`);
  scrapes.forEach((body, index) => write(`node-exporter-${version}-scrape-${index + 1}.txt`, trim(body, (name) => NODE_METRIC_NAMES.has(name))));
  write(`node-exporter-${version}-landing.html`, await text(`${nodeExporter.origin}/`));
} finally {
  await nodeExporter.stop();
}

const agent = await startTestAgent([], { fakeGpus: true });
try {
  const { version } = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
  const scrapes = await scrapeTwice(agent.url('metrics'));
  scrapes.forEach((body, index) => write(`fleetwatch-agent-${version}-scrape-${index + 1}.txt`, body));
} finally {
  await agent.close();
}

const prometheus = await startDaemon({
  name: 'prometheus',
  binary: '/usr/bin/prometheus',
  debianPackage: 'prometheus',
  args: (port, dataDir) => [`--config.file=${path.join(dataDir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dataDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
  readyPath: '/-/ready',
  prepare: (_port, dataDir) => writeFileSync(path.join(dataDir, 'prometheus.yml'), 'scrape_configs: []\n'),
});
try {
  const version = /version (\S+)/.exec(execFileSync('/usr/bin/prometheus', ['--version'], { encoding: 'utf8' }))![1]!;
  write(`prometheus-${version}-own-metrics.txt`, trim(await text(`${prometheus.origin}/metrics`), (name) => PROMETHEUS_FAMILIES.test(name)));
} finally {
  await prometheus.stop();
}
