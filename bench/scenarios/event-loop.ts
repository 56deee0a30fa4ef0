// Event-loop delay p99 inside the agent while processes, disks and GPUs are collected over and over,
// read from the agent's own Prometheus metrics (--metrics-self), which reset their histogram per scrape.

import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { openClients } from '../lib/clients';
import type { Figure } from '../lib/figures';

const WINDOW_MS = 15_000;

async function eventLoopP99Ms(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('fleetwatch_agent_nodejs_eventloop_lag_p99_seconds'));
  if (!line) throw new Error('the agent did not export fleetwatch_agent_nodejs_eventloop_lag_p99_seconds');
  return Number(line.slice(line.lastIndexOf(' ') + 1)) * 1000;
}

export async function eventLoopUnderHeavyCollectors(): Promise<Figure[]> {
  const agent = await startBenchAgent(['--metrics-self'], { gpus: true });
  try {
    const metricsUrl = agent.url('metrics');
    await eventLoopP99Ms(metricsUrl);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const idle = await eventLoopP99Ms(metricsUrl);

    const timers: ReturnType<typeof setInterval>[] = [];
    const clients = await openClients(connectUrl(agent, 'socktop'), 4, (socket) => {
      // Each request waits for its reply before the next, as the real client does; four clients overlap.
      const ask = ['get_processes', 'get_disks', 'get_metrics'];
      let next = 0;
      socket.on('message', () => setTimeout(() => socket.send(ask[next++ % ask.length]!), 100));
      socket.send(ask[next++]!);
    });
    const gpuClients = await openClients(agent.url('gpu-usage'), 4, (socket) => socket.send('subscribe:usage'));
    timers.push(setInterval(() => void fetch(metricsUrl.replace('/metrics', '/nothing')).catch(() => {}), 1000));
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const loaded = await eventLoopP99Ms(metricsUrl);
    timers.forEach(clearInterval);
    await Promise.all([clients.close(), gpuClients.close()]);
    return [
      { id: 'eld-idle', label: 'event-loop delay p99, idle', value: idle, unit: 'ms' },
      { id: 'eld-heavy', label: 'event-loop delay p99 while processes, disks and GPUs are collected', value: loaded, unit: 'ms', target: 20 },
    ];
  } finally {
    await agent.stop();
  }
}
