// node_exporter client: GETs the metrics path every two seconds and reads it as node_exporter's names, from
// node_exporter itself or from anything serving them (our own agent's Prometheus port, with its DCGM GPUs).

import type { HostInfo } from '../model';
import type { PollClient, PollContext } from '../http-source';
import { MIB } from '../units';
import { nodeExporterProtocol } from './descriptor';
import { parseExposition } from './exposition';
import { NodeReader, NODE_METRIC_NAMES } from './node-reading';
import { answerShape, hasNodeSeries, NODE_PREFIX, readNodeScrape } from './scrape';

const SELECTION = { names: NODE_METRIC_NAMES };

export const nodeExporterClient: PollClient = {
  transport: 'http',
  id: 'node-exporter',
  capabilities: nodeExporterProtocol.capabilities,
  pollIntervalMs: 2000,
  // node_exporter on a big host with many disks and interfaces serves a few MB; 16 MB is a server gone wrong.
  maxBodyBytes: 16 * MIB,
  fingerprintPaths: [nodeExporterProtocol.defaultPath],

  fingerprint(_path, answer) {
    if (answerShape(answer) !== 'text') return null;
    const exposition = parseExposition(answer.body, { prefixes: [NODE_PREFIX] });
    // A page of prose with one stray `node_x 1` line is not an exposition: most of its lines must read.
    if (!hasNodeSeries(exposition) || exposition.skippedLines >= exposition.sampleLines) return null;
    const evidence = exposition.series.has('node_cpu_seconds_total') ? 'node_cpu_seconds_total' : exposition.series.keys().next().value!;
    return `${answer.contentType.includes('openmetrics') ? 'OpenMetrics' : 'text'} exposition with ${evidence}`;
  },

  open(context) {
    const reader = new NodeReader();
    const path = metricsPath(context);
    let announced: string | undefined;
    return {
      async poll() {
        const exposition = readNodeScrape(await context.get(path), path, SELECTION);
        const { host, sample } = reader.read(exposition, context.now());
        const info: HostInfo = { ...host, id: context.hostLabel, hostname: host.hostname ?? context.hostLabel };
        const key = JSON.stringify(info);
        if (key !== announced) {
          announced = key;
          context.sink.host(info);
        }
        context.sink.sample(context.hostLabel, sample);
      },
      dispose() {},
    };
  },
};

/** The user's path (node_exporter's landing page at `/` is HTML, so `/` means the default), with its query (`collect[]=cpu`). */
function metricsPath(context: PollContext): string {
  const path = context.path && context.path !== '/' ? context.path : nodeExporterProtocol.defaultPath;
  const query = context.params.toString();
  return query ? `${path}?${query}` : path;
}
