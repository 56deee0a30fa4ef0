// What the agent costs: idle, and with one client of each protocol at its documented cadence.

import { spawn } from 'node:child_process';
import path from 'node:path';
import type WebSocket from 'ws';
import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { openClients } from '../lib/clients';
import { measureWindow, readRssBytes } from '../lib/process-meter';
import type { Figure } from '../lib/figures';

const WINDOW_MS = 15_000;

/** Node's own floor, for scale: the same node running nothing but one HTTP server on loopback. */
const BARE_NODE = "require('node:http').createServer().listen(0, '127.0.0.1')";
/** The floor with the libraries the agent loads at start, imported as the agent imports them and nothing run. */
const NODE_WITH_LIBRARIES = `${['ws', 'systeminformation', 'protobufjs/minimal.js', 'zod', 'fflate'].map((name) => `await import('${name}');`).join(' ')} ${BARE_NODE.replace('require', 'process.getBuiltinModule')}`;

export async function idleCost(): Promise<Figure[]> {
  const bare = spawn(process.execPath, ['-e', BARE_NODE], { stdio: 'ignore' });
  const withLibraries = spawn(process.execPath, ['--input-type=module', '-e', NODE_WITH_LIBRARIES], { stdio: 'ignore', cwd: path.join(import.meta.dirname, '../..') });
  // Idle means steady state: V8 keeps collecting garbage for a while after start-up.
  const agent = await startBenchAgent([], { settleMs: 30_000 });
  try {
    const { cpuPercent, rssBytes } = await measureWindow(agent.pid, WINDOW_MS);
    return [
      { id: 'idle-cpu', label: 'idle CPU, no clients', value: cpuPercent, unit: '% of a core', target: 0.2 },
      { id: 'idle-rss', label: 'idle RSS, no clients', value: rssBytes / 1e6, unit: 'MB', target: 55 },
      { id: 'node-floor-rss', label: `RSS of a bare node ${process.version} with one HTTP server (the floor)`, value: readRssBytes(bare.pid!) / 1e6, unit: 'MB' },
      { id: 'node-libraries-rss', label: 'the floor with the libraries the agent loads (ws, systeminformation, protobufjs minimal, zod, fflate)', value: readRssBytes(withLibraries.pid!) / 1e6, unit: 'MB' },
    ];
  } finally {
    bare.kill();
    withLibraries.kill();
    await agent.stop();
  }
}

interface ClientBehaviour {
  id: string;
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
  { id: 'one-client-cpu-gpu-usage', protocol: 'gpu-usage', label: 'GPU usage stream client (subscribed, 5 s updates)', run: (socket) => (socket.send('subscribe:usage'), () => {}) },
  { id: 'one-client-cpu-servercontrol', protocol: 'servercontrol', label: 'ServerControl client (1 s stats_update)', target: 0.2, run: () => () => {} },
  { id: 'one-client-cpu-socktop', protocol: 'socktop', label: 'socktop client polling metrics every 500 ms', target: 1.5, run: (socket) => every(500, () => socket.send('get_metrics')) },
  {
    id: 'one-client-cpu-socktop-real-cadence',
    protocol: 'socktop',
    label: 'socktop client at the real cadence (metrics 500 ms, processes 2 s, disks 5 s)',
    target: 1.5,
    run: (socket) => {
      const stops = [every(500, () => socket.send('get_metrics')), every(2000, () => socket.send('get_processes')), every(5000, () => socket.send('get_disks'))];
      return () => stops.forEach((stop) => stop());
    },
  },
  { id: 'one-client-cpu-vstats', protocol: 'vstats', label: 'vStats dashboard (5 s metrics)', run: () => () => {} },
  { id: 'one-client-cpu-sysmedic', protocol: 'sysmedic', label: 'SysMedic client (5 s system_update)', run: () => () => {} },
];

export async function perProtocolCost(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const behaviour of BEHAVIOURS) {
    // Settled, as for idle: the first seconds' garbage collections would read as the client's cost.
    const agent = await startBenchAgent([], { settleMs: 15_000 });
    try {
      let stop = (): void => {};
      const clients = await openClients(connectUrl(agent, behaviour.protocol), 1, (socket) => (stop = behaviour.run(socket)));
      const { cpuPercent } = await measureWindow(agent.pid, WINDOW_MS);
      stop();
      await clients.close();
      figures.push({ id: behaviour.id, label: behaviour.label, value: cpuPercent, unit: '% of a core', target: behaviour.target });
    } finally {
      await agent.stop();
    }
  }
  return figures;
}
