// Records the fixtures of proto/prometheus from the real servers: Debian's Prometheus scraping Debian's
// node_exporter and our agent (fake GPUs) every second, asked the client's own query; and what the other
// polled servers answer, for the fingerprint to refuse. Run it again after changing fleetQuery():
// `npx tsx proto/prometheus/test-record-fixtures.ts`.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startGlances } from '../../test-support/real-servers/glances';
import { startNetdata } from '../../test-support/real-servers/netdata';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { startPrometheus } from '../../test-support/real-servers/prometheus';
import type { RealServer } from '../../test-support/real-servers/daemon';
import { startTestAgent } from '../../test-support/test-agent';
import { BUILD_INFO_PATH } from './client';
import { fleetQuery, PART_LABEL } from './promql';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');

const nodeExporter = await startNodeExporter();
const agent = await startTestAgent([], { fakeGpus: true });
const prometheus = await startPrometheus({
  scrapeIntervalSeconds: 1,
  jobs: [
    { name: 'node', targets: [`127.0.0.1:${nodeExporter.port}`] },
    { name: 'fleetwatch', targets: [`127.0.0.1:${agent.endpoint('metrics').port}`] },
  ],
});

async function get(origin: string, pathAndQuery: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${origin}${pathAndQuery}`);
  return { status: response.status, body: await response.text() };
}

const ask = (query: string) => get(prometheus.origin, `/api/v1/query?query=${encodeURIComponent(query)}`);

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

/** The answer to the client's query once `ready` holds of it, bounded in time. */
async function fleetAnswer(what: string, ready: (series: Series[]) => boolean): Promise<string> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 500))) {
    const { body } = await ask(fleetQuery());
    if (ready((JSON.parse(body) as { data: { result: Series[] } }).data.result)) return body;
  }
  throw new Error(`${what} not seen within 30 s`);
}

async function recordOther(start: () => Promise<RealServer>, pathAndQuery: string, name: string): Promise<void> {
  const server = await start();
  try {
    writeFileSync(path.join(FIXTURES, name), (await get(server.origin, pathAndQuery)).body);
  } finally {
    await server.stop();
  }
}

const partCount = (series: Series[], part: string) => series.filter(({ metric }) => metric[PART_LABEL] === part).length;

try {
  const version = JSON.parse((await get(prometheus.origin, BUILD_INFO_PATH)).body) as { data: { version: string } };
  const release = version.data.version.replace(/\+.*/, '');
  const save = (name: string, body: string): void => writeFileSync(path.join(FIXTURES, `prometheus-${release}-${name}`), body.endsWith('\n') ? body : `${body}\n`);

  save('buildinfo.json', (await get(prometheus.origin, BUILD_INFO_PATH)).body);
  save('fleet.json', await fleetAnswer('both hosts with CPU and network rates', (series) => partCount(series, 'core') >= 2 && partCount(series, 'transmit') === 2));
  const badRegex = await ask(fleetQuery('('));
  save(`bad-job-regex-http-${badRegex.status}.json`, badRegex.body);

  writeFileSync(path.join(FIXTURES, 'node-exporter-1.5-answer-to-buildinfo.html'), (await get(nodeExporter.origin, BUILD_INFO_PATH)).body);
  const exposition = (await get(nodeExporter.origin, '/metrics')).body;
  writeFileSync(path.join(FIXTURES, 'node-exporter-1.5-metrics-head.txt'), `${exposition.split('\n').slice(0, 24).join('\n')}\n`);
  await recordOther(startGlances, '/api/3/cpu', 'glances-3.3.1.1-cpu.json');
  await recordOther(startNetdata, '/api/v1/info', 'netdata-1.37.1-info.json');

  await nodeExporter.stop();
  // Its rates go on for a rate window after its last scrape; its gauges are marked stale at once.
  const instance = `127.0.0.1:${nodeExporter.port}`;
  const down = (series: Series) => series.metric[PART_LABEL] === 'up' && series.metric.instance === instance && series.value[1] === '0';
  const gauge = (series: Series) => series.metric[PART_LABEL] === 'gauge' && series.metric.instance === instance;
  save('fleet-node-exporter-down.json', await fleetAnswer('the node_exporter down', (series) => series.some(down) && !series.some(gauge)));
} finally {
  await prometheus.stop();
  await agent.close();
  await nodeExporter.stop();
}
