// What the agent costs: idle, and with one client of each protocol at its documented cadence.

import type WebSocket from 'ws';
import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { openClients } from '../lib/clients';
import { measureWindow } from '../lib/process-meter';
import type { Figure } from '../lib/figures';

const WINDOW_MS = 15_000;

export async function idleCost(): Promise<Figure[]> {
  // Idle means steady state: V8 keeps collecting garbage for a while after start-up.
  const agent = await startBenchAgent([], { settleMs: 30_000 });
  try {
    const { cpuPercent, rssBytes } = await measureWindow(agent.pid, WINDOW_MS);
    return [
      { id: 'idle-cpu', label: 'idle CPU, no clients', value: cpuPercent, unit: '% of a core', target: 0.2 },
      { id: 'idle-rss', label: 'idle RSS, no clients', value: rssBytes / 1e6, unit: 'MB', target: 70 },
    ];
  } finally {
    await agent.stop();
  }
}

interface ClientBehaviour {
  protocol: string;
  label: string;
  target?: number;
  /** Starts the documented client on an open socket; returns a function that stops its timers. */
  run(socket: WebSocket): () => void;
}

const every = (ms: number, action: () => void): (() => void) => {
  const timer = setInterval(action, ms);
  return () => clearInterval(timer);
};

const BEHAVIOURS: ClientBehaviour[] = [
  { protocol: 'gpu-usage', label: 'GPU usage stream client (subscribed, 5 s updates)', run: (socket) => (socket.send('subscribe:usage'), () => {}) },
  { protocol: 'servercontrol', label: 'ServerControl client (1 s stats_update)', run: () => () => {} },
  { protocol: 'socktop', label: 'socktop client polling metrics every 500 ms', target: 1.5, run: (socket) => every(500, () => socket.send('get_metrics')) },
  {
    protocol: 'socktop',
    label: 'socktop client at the real cadence (metrics 500 ms, processes 2 s, disks 5 s)',
    run: (socket) => {
      const stops = [every(500, () => socket.send('get_metrics')), every(2000, () => socket.send('get_processes')), every(5000, () => socket.send('get_disks'))];
      return () => stops.forEach((stop) => stop());
    },
  },
  { protocol: 'vstats', label: 'vStats dashboard (5 s metrics)', run: () => () => {} },
  { protocol: 'sysmedic', label: 'SysMedic client (5 s system_update)', run: () => () => {} },
];

export async function perProtocolCost(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const behaviour of BEHAVIOURS) {
    const agent = await startBenchAgent();
    try {
      let stop = (): void => {};
      const clients = await openClients(connectUrl(agent, behaviour.protocol), 1, (socket) => (stop = behaviour.run(socket)));
      const { cpuPercent } = await measureWindow(agent.pid, WINDOW_MS);
      stop();
      await clients.close();
      figures.push({ id: `one-client-cpu-${behaviour.protocol}${behaviour.target ? '' : figures.length}`, label: behaviour.label, value: cpuPercent, unit: '% of a core', target: behaviour.target });
    } finally {
      await agent.stop();
    }
  }
  return figures;
}
