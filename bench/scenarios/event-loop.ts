// Event-loop delay while processes, disks and GPUs are collected over and over: from inside, the agent's
// own monitorEventLoopDelay (--metrics-self; its histogram holds whole timer intervals, so the 10 ms
// resolution is subtracted), and from outside, the round trip of a ServerControl ping sent every 20 ms.

import WebSocket from 'ws';
import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { openClients } from '../lib/clients';
import { percentile } from '../lib/stats';
import type { Figure } from '../lib/figures';

const WINDOW_MS = 15_000;
/** The resolution prom-client gives monitorEventLoopDelay; every recorded interval includes it. */
const MONITOR_RESOLUTION_MS = 10;

async function eventLoopP99Ms(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith('fleetwatch_agent_nodejs_eventloop_lag_p99_seconds'));
  if (!line) throw new Error('the agent did not export fleetwatch_agent_nodejs_eventloop_lag_p99_seconds');
  return Math.max(0, Number(line.slice(line.lastIndexOf(' ') + 1)) * 1000 - MONITOR_RESOLUTION_MS);
}

/** Pings every 20 ms for the window; returns the round trips in ms. */
async function pingRoundTrips(url: string, windowMs: number): Promise<number[]> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const roundTrips: number[] = [];
  let sentAt = 0;
  socket.on('message', (data) => {
    if (sentAt && String(data).includes('"pong"')) {
      roundTrips.push(performance.now() - sentAt);
      sentAt = 0;
    }
  });
  const timer = setInterval(() => {
    if (sentAt) return;
    sentAt = performance.now();
    socket.send('{"type":"ping"}');
  }, 20);
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  clearInterval(timer);
  socket.terminate();
  return roundTrips;
}

export async function eventLoopUnderHeavyCollectors(): Promise<Figure[]> {
  const agent = await startBenchAgent(['--metrics-self', '--max-messages-per-second', '1000'], { gpus: true, settleMs: 10_000 });
  try {
    const metricsUrl = agent.url('metrics');
    const pingUrl = agent.url('servercontrol');
    await eventLoopP99Ms(metricsUrl);
    const idleRoundTrips = await pingRoundTrips(pingUrl, WINDOW_MS);
    const idle = await eventLoopP99Ms(metricsUrl);

    const clients = await openClients(connectUrl(agent, 'socktop'), 4, (socket) => {
      // Each request waits for its reply before the next, as the real client does; four clients overlap.
      const ask = ['get_processes', 'get_disks', 'get_metrics'];
      let next = 0;
      socket.on('message', () => setTimeout(() => socket.send(ask[next++ % ask.length]!), 100));
      socket.send(ask[next++]!);
    });
    const gpuClients = await openClients(agent.url('gpu-usage'), 4, (socket) => socket.send('subscribe:usage'));
    const loadedRoundTrips = await pingRoundTrips(pingUrl, WINDOW_MS);
    const loaded = await eventLoopP99Ms(metricsUrl);
    await Promise.all([clients.close(), gpuClients.close()]);
    return [
      { id: 'eld-idle', label: 'event-loop delay p99, idle', value: idle, unit: 'ms' },
      { id: 'eld-heavy', label: 'event-loop delay p99 while processes, disks and GPUs are collected', value: loaded, unit: 'ms', target: 20 },
      { id: 'ping-idle', label: 'ServerControl ping round trip p99 from a client, idle', value: percentile(idleRoundTrips, 99), unit: 'ms' },
      { id: 'ping-heavy', label: 'ServerControl ping round trip p99 from a client, heavy collectors running', value: percentile(loadedRoundTrips, 99), unit: 'ms' },
    ];
  } finally {
    await agent.stop();
  }
}
