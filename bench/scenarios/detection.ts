// How long auto-detection takes per protocol against a real agent on loopback.

import WebSocket from 'ws';
import { detect } from '../../proto/detect';
import { PROTOCOL_IDS } from '../../proto/protocols';
import { parseTarget } from '../../proto/target';
import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { percentile } from '../lib/stats';
import type { Figure } from '../lib/figures';

const RUNS = 10;

export async function detectionLatency(): Promise<Figure[]> {
  const agent = await startBenchAgent();
  try {
    const figures: Figure[] = [];
    for (const protocol of PROTOCOL_IDS) {
      const target = parseTarget(connectUrl(agent, protocol));
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const report = await detect(target, { WebSocket });
        const found = report.found.find((detection) => detection.protocol === protocol);
        if (!found) throw new Error(`detection missed ${protocol}: ${JSON.stringify(report.attempts)}`);
        times.push(found.elapsedMs);
      }
      figures.push({ id: `detect-${protocol}`, label: `detection of ${protocol}, median of ${RUNS}`, value: percentile(times, 50), unit: 'ms', target: 300 });
    }
    return figures;
  } finally {
    await agent.stop();
  }
}
