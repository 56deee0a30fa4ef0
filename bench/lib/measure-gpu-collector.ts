// Child process of the gpu-collectors scenario: measures one GPU collector in a fresh process, because
// systeminformation captures the environment (PATH) when it is first imported.
// Usage: tsx bench/lib/measure-gpu-collector.ts direct|systeminformation  → one JSON line on stdout.

import { monitorEventLoopDelay } from 'node:perf_hooks';

const CALLS = 20;

async function collector(which: string): Promise<() => Promise<unknown>> {
  if (which === 'direct') {
    const { queryNvidiaSmi } = await import('../../src-agent/sampler/gpus');
    return () => queryNvidiaSmi();
  }
  const { default: si } = await import('systeminformation');
  return () => si.graphics();
}

const collect = await collector(process.argv[2] ?? 'direct');
await collect();
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const before = process.resourceUsage();
for (let call = 0; call < CALLS; call++) {
  await collect();
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const after = process.resourceUsage();
histogram.disable();
const cpuMicros = after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime;
process.stdout.write(JSON.stringify({ cpuMsPerCall: cpuMicros / 1000 / CALLS, worstStallMs: Math.max(0, histogram.max / 1e6 - 1) }) + '\n');
