// Made-up hosts pushed into a real vStats hub over /ws/agent, as documented agents push (query token, one
// metrics message a second). Each first replays its recent past, timestamped, so the dashboard's history
// holds minutes or an hour rather than the seconds a bench can wait. Loopback only; sends nothing else.

import WebSocket from 'ws';
import type { HostInfo, Sample } from '../../proto/model';
import { encodeAgentMetrics } from '../../proto/vstats/wire';
import { terminateAll } from './clients';

export interface FakeAgentSpec {
  serverId: string;
  /** Seconds of past, one sample a second, replayed before the live pushes start. */
  backfillSeconds: number;
}

export interface FakeAgents {
  /** Metrics messages sent so far, replayed ones included. */
  sent(): number;
  close(): Promise<void>;
}

const LIVE_INTERVAL_MS = 1000;
const REPLAY_TICK_MS = 25;
const GIB = 1024 ** 3;

/** A small seeded generator, so every run pushes the same values. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/** One host's readings as random walks, kept under the default alert thresholds so no toast interferes. */
function fakeHost(serverId: string, index: number): { host: HostInfo; next(timeMs: number): Sample } {
  const random = seeded(index + 1);
  const cores = 8;
  const memoryTotalBytes = 32 * GIB;
  const host: HostInfo = { id: serverId, hostname: serverId, os: { name: 'Debian GNU/Linux', version: '12', kernel: '6.1.0-18-amd64', arch: 'x86_64' }, cpu: { model: 'AMD EPYC 7B13', cores }, memoryTotalBytes };
  let cpu = 10 + random() * 40;
  let memory = 30 + random() * 30;
  let rootUsed = 40 + random() * 30;
  let dataUsed = 20 + random() * 50;
  let rxTotal = Math.round(random() * 1e12);
  let txTotal = Math.round(random() * 1e12);
  let uptimeSec = Math.round(86_400 * (1 + random() * 30));
  return {
    host,
    next(timeMs) {
      cpu = clamp(cpu + (random() - 0.5) * 12, 2, 80);
      memory = clamp(memory + (random() - 0.5) * 2, 15, 80);
      rootUsed = clamp(rootUsed + (random() - 0.45) * 0.01, 5, 95);
      dataUsed = clamp(dataUsed + (random() - 0.45) * 0.02, 5, 95);
      const rxBytesPerSec = Math.round(random() * 5e6);
      const txBytesPerSec = Math.round(random() * 2e6);
      rxTotal += rxBytesPerSec;
      txTotal += txBytesPerSec;
      uptimeSec += 1;
      const disk = (name: string, mountPoint: string, totalBytes: number, usedPercent: number) => ({ name, mountPoint, fsType: 'ext4', totalBytes, usedBytes: Math.round((totalBytes * usedPercent) / 100), usedPercent });
      return {
        timeMs,
        cpu: { totalPercent: cpu, perCorePercent: Array.from({ length: cores }, () => clamp(cpu + (random() - 0.5) * 20, 0, 100)), load: [(cpu / 100) * cores, (cpu / 110) * cores, (cpu / 120) * cores], frequencyMhz: 2450 },
        memory: { usedPercent: memory, totalBytes: memoryTotalBytes, usedBytes: Math.round((memoryTotalBytes * memory) / 100), swapTotalBytes: 2 * GIB, swapUsedBytes: 0 },
        disks: [disk('/dev/nvme0n1p1', '/', 512 * GIB, rootUsed), disk('/dev/nvme1n1', '/data', 2048 * GIB, dataUsed)],
        network: { interfaces: [{ name: 'eth0', rxBytes: rxTotal, txBytes: txTotal }], rxTotalBytes: rxTotal, txTotalBytes: txTotal, rxBytesPerSec, txBytesPerSec },
        uptimeSec,
      };
    },
  };
}

/**
 * Opens one connection per spec to `agentUrl` (…/ws/agent?token=…). Each replays its past within
 * `replayMs`, then pushes live every second, the agents' phases spread over the second as unsynchronised
 * machines' are. Resolves once every agent pushes live.
 */
export async function startFakeAgents(agentUrl: string, specs: readonly FakeAgentSpec[], replayMs = 10_000): Promise<FakeAgents> {
  let sent = 0;
  const timers: ReturnType<typeof setTimeout>[] = [];
  const sockets: WebSocket[] = [];
  const startedAtMs = Date.now();

  const run = (spec: FakeAgentSpec, index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = new WebSocket(agentUrl, { perMessageDeflate: false });
      sockets.push(socket);
      const fake = fakeHost(spec.serverId, index);
      const push = (timeMs: number): void => {
        if (socket.readyState !== WebSocket.OPEN) return;
        socket.send(JSON.stringify(encodeAgentMetrics(fake.host, fake.next(timeMs))));
        sent += 1;
      };
      const goLive = (): void => {
        resolve();
        const phaseMs = (index * LIVE_INTERVAL_MS) / specs.length;
        timers.push(setTimeout(() => timers.push(setInterval(() => push(Date.now()), LIVE_INTERVAL_MS)), phaseMs));
      };
      socket.once('error', reject);
      socket.once('open', () => {
        // The past ends where this run started: live samples are always newer, as history requires.
        let replayed = 0;
        const perTick = Math.max(1, Math.ceil(spec.backfillSeconds / (replayMs / REPLAY_TICK_MS)));
        if (spec.backfillSeconds === 0) return goLive();
        const replay = setInterval(() => {
          for (let step = 0; step < perTick && replayed < spec.backfillSeconds; step++, replayed++) push(startedAtMs - (spec.backfillSeconds - replayed) * 1000);
          if (replayed < spec.backfillSeconds) return;
          clearInterval(replay);
          goLive();
        }, REPLAY_TICK_MS);
        timers.push(replay);
      });
    });

  const agents: FakeAgents = {
    sent: () => sent,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      await terminateAll(sockets);
    },
  };
  try {
    await Promise.all(specs.map(run));
  } catch (error) {
    await agents.close();
    throw error;
  }
  return agents;
}
