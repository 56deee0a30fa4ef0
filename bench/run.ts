// `npm run bench [-- scenario ...]`: measures the built agent from outside its process, prints each
// figure against its target, and writes bench/results/latest.json. Figures, not pass/fail tests.

import { idleCost, perProtocolCost } from './scenarios/cost';
import { dashboardSmoothness } from './scenarios/dashboard';
import { detectionLatency } from './scenarios/detection';
import { eventLoopUnderHeavyCollectors } from './scenarios/event-loop';
import { fanout } from './scenarios/fanout';
import { gpuCollectors } from './scenarios/gpu-collectors';
import { hubFleet } from './scenarios/hub-fleet';
import { prometheusFleet } from './scenarios/prometheus-fleet';
import { describeMachine, renderFigures, saveFigures, type Figure } from './lib/figures';

const SCENARIOS: Record<string, () => Promise<Figure[]>> = {
  idle: idleCost,
  'per-protocol': perProtocolCost,
  fanout: () => fanout(),
  'event-loop': eventLoopUnderHeavyCollectors,
  detection: detectionLatency,
  'gpu-collectors': gpuCollectors,
  dashboard: dashboardSmoothness,
  'hub-fleet': hubFleet,
  'prometheus-fleet': prometheusFleet,
};

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !(name in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`);
  process.env.FLEETWATCH_DISCOVERY_TARGETS = '127.0.0.1';
  console.log(`Machine: ${JSON.stringify(describeMachine())}`);
  const figures: Figure[] = [];
  for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) {
    const started = Date.now();
    process.stdout.write(`running ${name} … `);
    figures.push(...(await SCENARIOS[name]!()));
    console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  console.log('\n' + renderFigures(figures));
  console.log(`\nSaved to ${saveFigures(figures)}`);
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
