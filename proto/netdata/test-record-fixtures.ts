// Records the fixtures of proto/netdata from the real servers installed here: Debian's Netdata's info and
// allmetrics answers (the latter filtered by Netdata itself to the charts the client asks for, both at its
// first second and once it has run a while), the start of its dashboard page, and what node_exporter,
// Prometheus and Glances answer at Netdata's fingerprint path. Run it by hand when the server version changes:
// `npx tsx proto/netdata/test-record-fixtures.ts`. Answers are written as served, never edited.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RealServer } from '../../test-support/real-servers/daemon';
import { startGlances } from '../../test-support/real-servers/glances';
import { startNetdata } from '../../test-support/real-servers/netdata';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { startPrometheus } from '../../test-support/real-servers/prometheus';
import { ALLMETRICS_PATH } from './charts';
import { INFO_PATH } from './client';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const HTML_KEPT_CHARS = 2000;

async function text(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.text() };
}

async function ok(url: string): Promise<string> {
  const { status, body } = await text(url);
  if (status !== 200) throw new Error(`${url} answered ${status}`);
  return body;
}

async function recordNetdata(netdata: RealServer, version: string): Promise<void> {
  writeFileSync(path.join(FIXTURES, `netdata-${version}-allmetrics-first-second.json`), await ok(`${netdata.origin}${ALLMETRICS_PATH}`));
  // Rates and CPU shares need two collections, and system.load, collected every 5 s, reads 0 until its second.
  await new Promise((resolve) => setTimeout(resolve, 7000));
  writeFileSync(path.join(FIXTURES, `netdata-${version}-info.json`), await ok(`${netdata.origin}${INFO_PATH}`));
  writeFileSync(path.join(FIXTURES, `netdata-${version}-allmetrics.json`), await ok(`${netdata.origin}${ALLMETRICS_PATH}`));
  writeFileSync(path.join(FIXTURES, `netdata-${version}-dashboard-start.html`), (await ok(`${netdata.origin}/`)).slice(0, HTML_KEPT_CHARS));
}

async function recordOther(server: RealServer, name: string): Promise<void> {
  const { status, body } = await text(`${server.origin}${INFO_PATH}`);
  writeFileSync(path.join(FIXTURES, `other-${name}-api-v1-info-${status}.txt`), body.slice(0, HTML_KEPT_CHARS));
}

async function withServer(start: () => Promise<RealServer>, record: (server: RealServer) => Promise<void>): Promise<void> {
  const server = await start();
  try {
    await record(server);
  } finally {
    await server.stop();
  }
}

const netdataVersion = /v(\d+(?:\.\d+)+)/.exec(execFileSync('/usr/sbin/netdata', ['-v'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
await withServer(startNetdata, (server) => recordNetdata(server, netdataVersion));
await withServer(startNodeExporter, (server) => recordOther(server, 'node-exporter-1.5'));
await withServer(() => startPrometheus({ scrapeIntervalSeconds: 60, jobs: [] }), (server) => recordOther(server, 'prometheus-2.42'));
await withServer(startGlances, (server) => recordOther(server, 'glances-3.3.1.1'));
