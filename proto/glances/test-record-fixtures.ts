// Records the fixtures of proto/glances from the real servers installed here: each plugin answer of Debian's
// Glances, and what node_exporter and Prometheus answer at Glances' fingerprint paths. Run it by hand when the
// server version changes: `npx tsx proto/glances/test-record-fixtures.ts`. Big answers are trimmed, never edited.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startGlances } from '../../test-support/real-servers/glances';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { startPrometheus } from '../../test-support/real-servers/prometheus';
import type { RealServer } from '../../test-support/real-servers/daemon';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const PLUGINS = ['pluginslist', 'system', 'quicklook', 'cpu', 'percpu', 'mem', 'memswap', 'load', 'fs', 'network', 'sensors', 'gpu', 'uptime', 'processlist'];
const PROCESSES_KEPT = 4;

async function text(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

/** The busiest few, plus a kernel thread (no command line) where there is one: the shapes the decoder meets. */
function trimProcesses(body: string): string {
  const processes = JSON.parse(body) as { cmdline?: unknown[]; cpu_percent?: number }[];
  const busiest = [...processes].sort((a, b) => (b.cpu_percent ?? 0) - (a.cpu_percent ?? 0)).slice(0, PROCESSES_KEPT - 1);
  const kernelThread = processes.find((process) => Array.isArray(process.cmdline) && process.cmdline.length === 0 && !busiest.includes(process));
  return JSON.stringify(kernelThread ? [...busiest, kernelThread] : busiest);
}

async function recordGlances(glances: RealServer, version: string): Promise<void> {
  // Rates need two updates of Glances' own, and it updates at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  for (const plugin of PLUGINS) {
    const { status, body } = await text(`${glances.origin}/api/3/${plugin}`);
    if (status !== 200) throw new Error(`/api/3/${plugin} answered ${status}`);
    writeFileSync(path.join(FIXTURES, `glances-${version}-${plugin}.json`), `${plugin === 'processlist' ? trimProcesses(body) : body}\n`);
  }
  const unknown = await text(`${glances.origin}/api/3/no-such-plugin`);
  writeFileSync(path.join(FIXTURES, `glances-${version}-unknown-plugin-${unknown.status}.html`), unknown.body);
  const v4 = await text(`${glances.origin}/api/4/pluginslist`);
  writeFileSync(path.join(FIXTURES, `glances-${version}-api-4-pluginslist-${v4.status}.html`), v4.body);
}

async function recordOther(server: RealServer, name: string, paths: Record<string, string>): Promise<void> {
  for (const [label, route] of Object.entries(paths)) {
    const { status, body } = await text(`${server.origin}${route}`);
    writeFileSync(path.join(FIXTURES, `other-${name}-${label}-${status}.txt`), body.slice(0, 4000));
  }
}

const glances = await startGlances();
try {
  const version = /v(\d+(?:\.\d+)+)/.exec((await import('node:child_process')).execFileSync('/usr/bin/glances', ['-V'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  await recordGlances(glances, version);
} finally {
  await glances.stop();
}

const nodeExporter = await startNodeExporter();
try {
  await recordOther(nodeExporter, 'node-exporter-1.5', { 'api-3-pluginslist': '/api/3/pluginslist', 'api-4-pluginslist': '/api/4/pluginslist', metrics: '/metrics' });
} finally {
  await nodeExporter.stop();
}

const prometheus = await startPrometheus({ scrapeIntervalSeconds: 60, jobs: [] });
try {
  await recordOther(prometheus, 'prometheus-2.42', { 'api-3-pluginslist': '/api/3/pluginslist', 'api-4-pluginslist': '/api/4/pluginslist', buildinfo: '/api/v1/status/buildinfo' });
} finally {
  await prometheus.stop();
}
