// What the agent costs: idle, and with one client of each protocol at its documented cadence.

import { spawn } from 'node:child_process';
import { AGENT_NODE_FLAGS } from '../../src-agent/node-flags';
import type WebSocket from 'ws';
import { tempDataDir } from '../../test-support/test-agent';
import { connectUrl, startBenchAgent } from '../lib/bench-agent';
import { openClients } from '../lib/clients';
import { measureWindow, readRssBytes } from '../lib/process-meter';
import type { Figure } from '../lib/figures';

/**
 * A minute, idle and for one client: CPU is counted in 10 ms ticks, and one client costs one or two of them
 * a second, so 15 s windows of the same agent read 0.13 or 0.33 % (two ticks or five).
 */
const WINDOW_MS = 60_000;

/** Node's own floor, for scale: the same node running nothing but one HTTP server on loopback. */
const BARE_NODE = "require('node:http').createServer().listen(0, '127.0.0.1')";
/**
 * The builtins an idle agent loads: no npm package until a client comes (lazy-loading.process.test.ts), and
 * node:crypto only on its first start, to generate its secrets.
 */
const IDLE_BUILTINS = ['child_process', 'dgram', 'fs', 'fs/promises', 'net', 'os', 'path', 'string_decoder', 'util'];
/** The floor under the idle agent: the same node, with the agent's Node flags and those builtins, running one HTTP server. */
const NODE_WITH_BUILTINS = `${IDLE_BUILTINS.map((name) => `require('node:${name}');`).join(' ')} ${BARE_NODE}`;

/**
 * Idle means steady state: V8 keeps collecting garbage for a while after start-up. Measured on the agent's
 * every start but its first (its secrets already in the data dir, as on a server that restarts it), and,
 * beside it, on the very first start, which also generates those secrets and so loads OpenSSL.
 */
export async function idleCost(): Promise<Figure[]> {
  const bare = spawn(process.execPath, ['-e', BARE_NODE], { stdio: 'ignore' });
  const withBuiltins = spawn(process.execPath, [...AGENT_NODE_FLAGS, '-e', NODE_WITH_BUILTINS], { stdio: 'ignore' });
  const dataDir = tempDataDir();
  const first = await startBenchAgent(['--data-dir', dataDir], { settleMs: 30_000 });
  const firstStartRss = (await measureWindow(first.pid, WINDOW_MS)).rssBytes;
  await first.stop();
  const agent = await startBenchAgent(['--data-dir', dataDir], { settleMs: 30_000 });
  try {
    const { cpuPercent, rssBytes } = await measureWindow(agent.pid, WINDOW_MS);
    return [
      { id: 'idle-cpu', label: 'idle CPU, no clients', value: cpuPercent, unit: '% of a core', target: 0.2 },
      { id: 'idle-rss', label: 'idle RSS, no clients (any start after the first)', value: rssBytes / 1e6, unit: 'MB', target: 55 },
      { id: 'idle-rss-first-start', label: 'idle RSS, no clients, on the first start (its secrets generated)', value: firstStartRss / 1e6, unit: 'MB' },
      { id: 'node-floor-rss', label: `RSS of a bare node ${process.version} with one HTTP server (the floor)`, value: readRssBytes(bare.pid!) / 1e6, unit: 'MB' },
      { id: 'node-builtins-rss', label: "the floor with the agent's Node flags and the builtins an idle agent loads (dgram, child_process, …)", value: readRssBytes(withBuiltins.pid!) / 1e6, unit: 'MB' },
    ];
  } finally {
    bare.kill();
    withBuiltins.kill();
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
