// How long auto-detection takes per source on loopback, as the hub detects (WebSocket and HTTP at once on
// a named port): the five WebSocket protocols against a real agent, the four HTTP sources against the
// real Debian servers.

import WebSocket from 'ws';
import { detect } from '../../proto/detect';
import { STREAM_PROTOCOL_IDS, type ProtocolId } from '../../proto/protocols';
import { parseTarget, type Target } from '../../proto/target';
import { nodeHttpGet } from '../../src-agent/net/http-get';
import { startGlances } from '../../test-support/real-servers/glances';
import { startNetdata } from '../../test-support/real-servers/netdata';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { startPrometheus } from '../../test-support/real-servers/prometheus';
import type { RealServer } from '../../test-support/real-servers/daemon';
import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { percentile } from '../lib/stats';
import type { Figure } from '../lib/figures';

const RUNS = 10;

export async function detectionLatency(): Promise<Figure[]> {
  const agent = await startBenchAgent();
  const servers: RealServer[] = [];
  try {
    const [nodeExporter, glances, netdata] = await Promise.all([startNodeExporter(), startGlances(), startNetdata()]);
    servers.push(nodeExporter, glances, netdata);
    const prometheus = await startPrometheus({ scrapeIntervalSeconds: 5, jobs: [{ name: 'node', targets: [`127.0.0.1:${nodeExporter.port}`] }] });
    servers.push(prometheus);
    const targets: [ProtocolId, Target][] = [
      ...STREAM_PROTOCOL_IDS.map((protocol): [ProtocolId, Target] => [protocol, parseTarget(connectUrl(agent, protocol))]),
      ['node-exporter', parseTarget(`127.0.0.1:${nodeExporter.port}`)],
      ['prometheus', parseTarget(`127.0.0.1:${prometheus.port}`)],
      ['glances', parseTarget(`127.0.0.1:${glances.port}`)],
      ['netdata', parseTarget(`127.0.0.1:${netdata.port}`)],
    ];
    const figures: Figure[] = [];
    for (const [protocol, target] of targets) {
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const report = await detect(target, { WebSocket, httpGet: nodeHttpGet });
        const found = report.found.find((detection) => detection.protocol === protocol);
        if (!found) throw new Error(`detection missed ${protocol}: ${JSON.stringify(report.attempts)}`);
        times.push(found.elapsedMs);
      }
      figures.push({ id: `detect-${protocol}`, label: `detection of ${protocol}, median of ${RUNS}`, value: percentile(times, 50), unit: 'ms', target: 300 });
    }
    return figures;
  } finally {
    await Promise.all([agent.stop(), ...servers.map((server) => server.stop())]);
  }
}
