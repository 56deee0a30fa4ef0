// Broadcast at scale: 100 and 1,000 concurrent clients of the ServerControl stream and the GPU usage
// stream; CPU, memory per connection, wire bytes per connection, and sample-to-last-client latency. The
// clients are bare sockets (bench/lib/raw-ws-clients.ts), so the latency's tail is the server's, not the bench's.

import { startBenchAgent } from '../lib/bench-agent';
import { integerAfter, openRawClients } from '../lib/raw-ws-clients';
import { measureWindow, readRssBytes } from '../lib/process-meter';
import { percentile } from '../lib/stats';
import { startFloorServer } from '../lib/floor-server';
import type { Figure } from '../lib/figures';

/** A minute at 1,000 clients: CPU is counted in 10 ms ticks, and 20 s runs of the same agent read 1.3 to 1.9 %. */
const windowMs = (count: number): number => (count >= 1000 ? 60_000 : 20_000);
/** The fan-out scenarios open many sockets from one address; the agent's per-IP limit must allow it. */
const LIMIT_ARGS = ['--max-connections', '5000', '--max-connections-per-ip', '5000'];
const STATS_UPDATE = '"type":"stats_update"';

interface Stream {
  protocol: 'servercontrol' | 'gpu-usage';
  label: string;
  /** The sample time a frame carries, in ms, where it carries one. */
  sampleTime(payload: Buffer): number | undefined;
  /** What each client says once connected, as the protocol's documented client does. */
  firstMessage?: string;
  args: string[];
}

const STREAMS: Stream[] = [
  {
    protocol: 'servercontrol',
    label: 'ServerControl',
    sampleTime: (payload) => (payload.includes(STATS_UPDATE) ? integerAfter(payload, 'timestamp') : undefined),
    args: [],
  },
  {
    protocol: 'gpu-usage',
    label: 'GPU usage stream (1 s interval)',
    // Whole seconds on the wire: latency is not measurable from it, only cost.
    sampleTime: () => undefined,
    firstMessage: 'subscribe:usage',
    args: ['--gpu-usage-interval', '1'],
  },
];

/** Opens `count` clients of `stream` at `url` and records, per sample, how long after it each client read it. */
async function openRecordingClients(url: string, stream: Stream, count: number) {
  let wireBytes = 0;
  const arrivals = new Map<number, number[]>();
  const clients = await openRawClients(url, count, {
    firstMessage: stream.firstMessage,
    onFrame(payload) {
      wireBytes += payload.length;
      const sampledAt = stream.sampleTime(payload);
      if (sampledAt === undefined) return;
      const list = arrivals.get(sampledAt) ?? [];
      list.push(Date.now() - sampledAt);
      arrivals.set(sampledAt, list);
    },
  });
  return {
    clients,
    /** Starts counting afresh: what arrived while clients were still joining is not counted. */
    reset(): void {
      wireBytes = 0;
      arrivals.clear();
    },
    wireBytes: () => wireBytes,
    /** For each sample every client read, the time until the last of them read it. */
    lastClientMs: () => [...arrivals.values()].filter((list) => list.length === count).map((list) => Math.max(...list)),
  };
}

export async function fanout(counts: readonly number[] = [100, 1000]): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const stream of STREAMS) {
    for (const count of counts) {
      // Settled first: memory the agent releases after start-up would otherwise read as negative per-connection cost.
      const agent = await startBenchAgent([...LIMIT_ARGS, ...stream.args], { settleMs: 15_000 });
      try {
        const baselineRss = readRssBytes(agent.pid);
        const recording = await openRecordingClients(agent.url(stream.protocol), stream, count);
        await new Promise((resolve) => setTimeout(resolve, 3000));
        recording.reset();
        const { cpuPercent, rssBytes } = await measureWindow(agent.pid, windowMs(count));
        await recording.clients.close();

        const prefix = `${stream.label}, ${count.toLocaleString('en')} clients`;
        const perConnectionKb = (rssBytes - baselineRss) / count / 1024;
        figures.push({ id: `fanout-cpu-${stream.protocol}-${count}`, label: `${prefix}: CPU`, value: cpuPercent, unit: '% of a core', target: count === 1000 ? 1.5 : undefined });
        figures.push({ id: `fanout-rss-${stream.protocol}-${count}`, label: `${prefix}: RSS`, value: rssBytes / 1e6, unit: 'MB', target: stream.protocol === 'servercontrol' && count === 1000 ? 75 : undefined });
        figures.push({ id: `fanout-mem-${stream.protocol}-${count}`, label: `${prefix}: memory per connection`, value: perConnectionKb, unit: 'KB', target: stream.protocol === 'servercontrol' && count === 1000 ? 30 : undefined });
        figures.push({ id: `fanout-wire-${stream.protocol}-${count}`, label: `${prefix}: bytes sent per connection per second`, value: recording.wireBytes() / count / (windowMs(count) / 1000), unit: 'B/s' });
        const lastClient = recording.lastClientMs();
        if (lastClient.length > 0) {
          figures.push({ id: `fanout-p50-${stream.protocol}-${count}`, label: `${prefix}: sample to ${count.toLocaleString('en')}th client, p50`, value: percentile(lastClient, 50), unit: 'ms' });
          figures.push({ id: `fanout-p99-${stream.protocol}-${count}`, label: `${prefix}: sample to ${count.toLocaleString('en')}th client, p99`, value: percentile(lastClient, 99), unit: 'ms', target: count === 1000 ? 20 : undefined });
          figures.push(...(await floorFigures(stream, count)));
        }
      } finally {
        await agent.stop();
      }
    }
  }
  return figures;
}

/** The same clients and window against a bare ws server that only broadcasts (bench/lib/floor-server.ts). */
async function floorFigures(stream: Stream, count: number): Promise<Figure[]> {
  const server = await startFloorServer();
  try {
    const recording = await openRecordingClients(server.url, stream, count);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    recording.reset();
    server.recordLoops(count);
    const { cpuPercent } = await measureWindow(server.pid, windowMs(count));
    await recording.clients.close();
    const lastClient = recording.lastClientMs();
    const of = `${count.toLocaleString('en')} of the same clients`;
    const label = `floor: a bare ws server broadcasting one frame to ${of}, send to last client`;
    const loopLabel = `floor: the bare ws server's own send loop to ${of}, framing to last write`;
    return [
      { id: `fanout-floor-p50-${count}`, label: `${label}, p50`, value: percentile(lastClient, 50), unit: 'ms' },
      { id: `fanout-floor-p99-${count}`, label: `${label}, p99`, value: percentile(lastClient, 99), unit: 'ms' },
      { id: `fanout-floor-loop-p50-${count}`, label: `${loopLabel}, p50`, value: percentile(server.loopMs(), 50), unit: 'ms' },
      { id: `fanout-floor-loop-p99-${count}`, label: `${loopLabel}, p99`, value: percentile(server.loopMs(), 99), unit: 'ms' },
      { id: `fanout-floor-cpu-${count}`, label: `floor: the bare ws server's CPU broadcasting to ${of}`, value: cpuPercent, unit: '% of a core' },
    ];
  } finally {
    server.stop();
  }
}
