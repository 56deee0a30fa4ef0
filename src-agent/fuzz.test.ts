// Fuzzes every protocol of the built agent process at once-per-protocol: thousands of random and mutated
// frames from several clients (vStats agents also once authenticated, socktop also over TLS), then UDP
// datagrams from several sockets at once and HTTP requests. Afterwards the agent must still serve a
// well-behaved client of each, its memory must be back near where it started, and it must have logged
// nothing at error level. Bounded in count and time; the seed is printed for replay.

import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_CLIENTS } from '../proto/clients';
import { Connection } from '../proto/connection';
import { STREAM_PROTOCOL_IDS, type StreamProtocolId } from '../proto/protocols';
import type { WebSocketConstructor } from '../proto/transport';
import { collectGarbage, inspectorUrl } from '../test-support/collect-garbage';
import { Fuzzer, seededRandom } from '../test-support/fuzz';
import { captureClientHello, hostileTlsBytes, hostileWebSocketBytes, rawAfterTlsUpgrade, sendRaw } from '../test-support/fuzz-sockets';
import { recordSink } from '../test-support/sink-recorder';
import { spawnAgent, type SpawnedAgent } from '../test-support/test-agent';
import { connectRecorder, ofType, sleep, type Frame } from '../test-support/ws-recorder';
import { pinnedWebSocket } from './net/pinned-websocket';
import { MAX_RELAYED_AGENTS } from './servers/vstats';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const CLIENTS_PER_PROTOCOL = 4;
const FRAMES_PER_CLIENT = 600;
const TIME_BOUND_MS = 20_000;
const VSTATS_TOKEN = 'fuzz-agent-token';
const VSTATS_AGENTS = 4;
/** --vstats-max-backfill-bytes here: an authenticated agent may send frames up to this. */
const VSTATS_MAX_BACKFILL_BYTES = 1024 * 1024;
const UDP_SENDERS = 6;
const DATAGRAMS_PER_SENDER = 500;

type Message = string | Record<string, unknown>;

const VALID: Record<StreamProtocolId, Message[]> = {
  'gpu-usage': ['subscribe:usage', { type: 'subscribe' }],
  servercontrol: [{ type: 'ping' }, { type: 'ping', request_id: '1' }, { cmd: 'echo hi' }],
  socktop: ['get_metrics', 'get_disks', 'get_processes', 'get_process_metrics:1', 'get_journal_entries:1', { type: 'metrics' }, { type: 'disks' }],
  vstats: [{ type: 'auth', server_id: 'fuzz', token: 'x', version: '1' }, { type: 'metrics', data: { hostname: 'fuzz', cpu: { usage: 1 } } }, { type: 'heartbeat', timestamp: 1 }],
  sysmedic: [
    { type: 'ping', request_id: '1' },
    { type: 'get_system_info', request_id: '2' },
    { type: 'get_alerts', request_id: '3' },
    { type: 'get_config', request_id: '4' },
    { type: 'nonsense', request_id: '5', data: {} },
  ],
};

let agent: SpawnedAgent;
let baselineRssBytes = 0;
let baselineJsBytes = 0;

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** What the agent's JavaScript holds, heap and Buffers, from its own --metrics-self gauges: a leak grows this. */
async function jsMemoryBytes(): Promise<number> {
  const text = await (await fetch(agent.url('metrics'))).text();
  const gauge = (name: string): number => Number(new RegExp(`^fleetwatch_agent_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return gauge('nodejs_heap_size_used_bytes') + gauge('nodejs_external_memory_bytes');
}

function connectUrl(protocol: StreamProtocolId): string {
  return agent.connect.find((endpoint) => endpoint.protocol === protocol)!.url;
}

/** A well-behaved client of the protocol receives a sample. */
async function wellBehavedSample(protocol: StreamProtocolId, url = connectUrl(protocol), WebSocketClass: WebSocketConstructor = WebSocket): Promise<void> {
  const sink = recordSink();
  const connection = new Connection({ endpoint: { protocol, url }, client: STREAM_CLIENTS[protocol], WebSocket: WebSocketClass, sink });
  connection.start();
  try {
    await sink.until(() => sink.samples.length > 0, 12_000, `a ${protocol} sample`);
  } finally {
    connection.stop();
  }
}

interface FuzzTarget {
  url: string;
  /** Sent as it is first on every connection: the authentication the fuzzing happens behind. */
  opening?: string;
  frame(fuzzer: Fuzzer): { data: string | Buffer; binary: boolean };
}

const mutationsOf = (valid: readonly Message[]): FuzzTarget['frame'] => (fuzzer) => fuzzer.frame(valid);

/** Resolves once the agent answers a ping, closes, or a second has passed. */
function roundTrip(socket: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      socket.off('pong', done).off('close', done);
      resolve();
    };
    const timer = setTimeout(done, 1000);
    socket.once('pong', done).once('close', done);
    socket.ping();
  });
}

/** One fuzzing client: sends its frames, reconnecting whenever the agent closes it, within the time bound. */
async function fuzzClient(target: FuzzTarget, fuzzer: Fuzzer, deadline: number): Promise<{ sent: number; connections: number }> {
  let sent = 0;
  let connections = 0;
  while (sent < FRAMES_PER_CLIENT && Date.now() < deadline) {
    // Fuzzers of the TLS listener accept its self-signed certificate; the well-behaved client pins it.
    const socket = new WebSocket(target.url, { perMessageDeflate: false, rejectUnauthorized: false });
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (!opened) {
      await sleep(50);
      continue;
    }
    connections += 1;
    socket.on('error', () => {});
    if (target.opening) socket.send(target.opening);
    while (sent < FRAMES_PER_CLIENT && Date.now() < deadline && socket.readyState === WebSocket.OPEN) {
      const frame = target.frame(fuzzer);
      socket.send(frame.data, { binary: frame.binary });
      sent += 1;
      // Without waiting, every frame is written before the agent reads the first and a closed connection
      // swallows the rest unread; a pong comes back only once the agent has handled what came before.
      if (sent % 25 === 0) await roundTrip(socket);
    }
    socket.terminate();
  }
  return { sent, connections };
}

async function fuzzAll(targets: readonly FuzzTarget[], seedOffset: number): Promise<{ sent: number; connections: number }> {
  const deadline = Date.now() + TIME_BOUND_MS;
  const results = await Promise.all(targets.map((target, index) => fuzzClient(target, new Fuzzer(seededRandom(SEED + seedOffset + index)), deadline)));
  return { sent: results.reduce((total, result) => total + result.sent, 0), connections: results.reduce((total, result) => total + result.connections, 0) };
}

/** A documented vStats agent push; `rows` disks and interfaces make it as large as wanted. */
function agentMetrics(serverId: string, rows = 1): Record<string, unknown> {
  return {
    type: 'metrics',
    data: {
      timestamp: new Date().toISOString(),
      hostname: serverId,
      os: { name: 'Linux', version: '6.8', kernel: '6.8.0', arch: 'x86_64' },
      cpu: { brand: 'Fuzz CPU', cores: 4, usage: 12.5, frequency: 3200, per_core: [10, 20, 5, 15] },
      memory: { total: 16e9, used: 8e9, available: 8e9, swap_total: 2e9, swap_used: 1e8, usage_percent: 50 },
      disks: Array.from({ length: rows }, (_, index) => ({ name: `/dev/sd${index}`, mount_point: `/mnt/${index}`, fs_type: 'ext4', total: 1e12, used: 4e11, available: 6e11, usage_percent: 40 })),
      network: { interfaces: Array.from({ length: rows }, (_, index) => ({ name: `eth${index}`, rx: 1e9 + index, tx: 2e9 + index })), total_rx: 1e9, total_tx: 2e9 },
      uptime: 86_400,
      load_average: { one: 0.5, five: 0.4, fifteen: 0.3 },
    },
  };
}

/** A metrics push of exactly `bytes`, padded with a top-level key the hub does not read. */
function paddedMetrics(serverId: string, bytes: number): string {
  const base = agentMetrics(serverId, 100);
  const unpadded = JSON.stringify({ ...base, pad: '' }).length;
  return JSON.stringify({ ...base, pad: 'x'.repeat(Math.max(0, bytes - unpadded)) });
}

/** An authenticated vStats agent: metrics and backfills mutated at any depth, heartbeats, a repeated auth, and frames at and just past the size limit. */
function vstatsAgent(index: number): FuzzTarget {
  const serverId = `fuzz-agent-${index}`;
  const auth = { type: 'auth', server_id: serverId, token: VSTATS_TOKEN, version: 'fuzz' };
  const report = agentMetrics(serverId).data as Record<string, unknown>;
  const bucket = { bucket: Math.floor(Date.now() / 5000) - 10, cpu_sum: 50, cpu_max: 30, memory_sum: 200, memory_max: 41, disk_sum: 300, net_rx: 0, net_tx: 0, ping_sum: 0, ping_count: 0, sample_count: 5 };
  const valid = [
    agentMetrics(serverId),
    agentMetrics(serverId, 20),
    { type: 'heartbeat', timestamp: Date.now() },
    auth,
    { type: 'batch_metrics', batch_id: `${serverId}-1`, metrics: [report, { ...report, timestamp: new Date(Date.now() - 60_000).toISOString() }] },
    { type: 'aggregated_metrics', granularities: [{ granularity: '5sec', interval: 5, metrics: [bucket] }, { granularity: 'hourly', interval: 3600, metrics: [{ ...bucket, bucket: Math.floor(Date.now() / 3_600_000) }] }] },
  ];
  const largest = paddedMetrics(serverId, VSTATS_MAX_BACKFILL_BYTES);
  const tooLarge = paddedMetrics(serverId, VSTATS_MAX_BACKFILL_BYTES + 1);
  const agentUrl = agent.url('vstats', 'agents');
  // Half present the query token (checked before the upgrade), half the real agents' first `auth` message.
  return {
    url: index % 2 === 0 ? `${agentUrl}?token=${VSTATS_TOKEN}` : agentUrl,
    opening: index % 2 === 0 ? undefined : JSON.stringify(auth),
    frame(fuzzer) {
      const roll = fuzzer.int(400);
      if (roll === 0) return { data: tooLarge, binary: false };
      if (roll === 1) return { data: largest, binary: false };
      if (roll < 200) return { data: fuzzer.mutateDeep(fuzzer.pick(valid)), binary: false };
      return fuzzer.frame(valid);
    },
  };
}

const addedServerId = (frame: Frame): string | undefined => (ofType('server_added')(frame) ? (frame.json as { data?: { id?: string } }).data?.id : undefined);
const metricsOf =
  (matches: (id: string) => boolean) =>
  (frame: Frame): boolean => {
    const id = (frame.json as { data?: { server_id?: unknown } } | undefined)?.data?.server_id;
    return ofType('metrics')(frame) && typeof id === 'string' && matches(id);
  };

beforeAll(async () => {
  agent = await spawnAgent(
    ['--max-messages-per-second', '100000', '--max-requests-per-second', '100000', '--max-connections-per-ip', '1000', '--gpu-usage-interval', '1', '--sysmedic-interval', '1', '--vstats-interval', '1', '--vstats-token', VSTATS_TOKEN, '--vstats-max-backfill-bytes', String(VSTATS_MAX_BACKFILL_BYTES), '--tls', '--metrics-self'],
    // The inspector lets the memory check collect garbage first; it listens on loopback, on a free port.
    { gpus: true, env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --inspect=127.0.0.1:0`.trim() } },
  );
  for (const protocol of STREAM_PROTOCOL_IDS) await wellBehavedSample(protocol);
  await sleep(2000);
  await collectGarbage(inspectorUrl(agent.stderr));
  baselineRssBytes = rssBytes(agent.child.pid!);
  baselineJsBytes = await jsMemoryBytes();
}, 60_000);

afterAll(async () => {
  await agent?.stop();
});

describe(`fuzzing the built agent (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  it.each(STREAM_PROTOCOL_IDS)(
    '%s survives thousands of random and mutated frames from several clients and still serves a well-behaved client',
    async (protocol) => {
      // The vStats agent path here sees a wrong-token auth first; the authenticated path has its own test.
      const urls = protocol === 'vstats' ? [connectUrl('vstats'), agent.url('vstats', 'agents')] : [connectUrl(protocol)];
      const targets = Array.from({ length: CLIENTS_PER_PROTOCOL }, (_, index) => ({ url: urls[index % urls.length]!, frame: mutationsOf(VALID[protocol]) }));
      const { sent } = await fuzzAll(targets, STREAM_PROTOCOL_IDS.indexOf(protocol) * 100);
      expect(sent).toBeGreaterThan(1000);
      expect(agent.child.exitCode).toBeNull();
      await wellBehavedSample(protocol);
    },
    60_000,
  );

  it('vstats takes random and mutated metrics, backfills, heartbeats and frames up to its size limit from several authenticated agents at once, keeps one host per agent connection, and still updates a dashboard', async () => {
    const { sent, connections } = await fuzzAll(
      Array.from({ length: VSTATS_AGENTS }, (_, index) => vstatsAgent(index)),
      500,
    );
    expect(sent).toBeGreaterThan(1000);
    expect(agent.child.exitCode).toBeNull();

    const dashboard = await connectRecorder(agent.url('vstats', 'dashboards'));
    const good = await connectRecorder(`${agent.url('vstats', 'agents')}?token=${VSTATS_TOKEN}`);
    try {
      good.send(JSON.stringify(agentMetrics('after-fuzz')));
      // Published after the snapshot, so the whole snapshot has arrived once this has.
      await dashboard.next(metricsOf((id) => id === 'after-fuzz'), 3000, 'a good agent relayed after the fuzzing');
      const hosts = new Set(dashboard.frames.map(addedServerId).filter((id): id is string => id !== undefined && id !== 'after-fuzz'));
      expect([...hosts].some((id) => id.startsWith('fuzz-agent-')), 'fuzzed metrics reached the hub').toBe(true);
      // This machine, plus at most one server id bound per agent connection.
      expect(hosts.size).toBeLessThanOrEqual(Math.min(1 + connections, 1 + MAX_RELAYED_AGENTS));
      const localId = dashboard.frames.map(addedServerId).find((id) => id !== undefined)!;
      const ownSoFar = dashboard.frames.filter(metricsOf((id) => id === localId)).length;
      await dashboard.collect(metricsOf((id) => id === localId), ownSoFar + 1, 3000);
    } finally {
      good.close();
      dashboard.close();
    }
    await wellBehavedSample('vstats');
  }, 60_000);

  it('socktop over --tls survives hostile bytes instead of a TLS handshake, garbage WebSocket framing and frames after one, and still answers a pinned client', async () => {
    const endpoint = agent.endpoints.find((candidate) => candidate.owner === 'socktop' && candidate.kind === 'wss')!;
    const clientHello = await captureClientHello();
    const texts = VALID.socktop.filter((message): message is string => typeof message === 'string');
    const workers = (count: number, seedOffset: number, job: (fuzzer: Fuzzer) => Promise<boolean>): Promise<number[]> =>
      Promise.all(
        Array.from({ length: 8 }, async (_, worker) => {
          const fuzzer = new Fuzzer(seededRandom(SEED + seedOffset + worker));
          let succeeded = 0;
          for (let index = 0; index < count; index++) if (await job(fuzzer)) succeeded += 1;
          return succeeded;
        }),
      );
    await workers(30, 7000, (fuzzer) => sendRaw(endpoint.port, hostileTlsBytes(fuzzer, clientHello), 100).then(() => true));
    const upgraded = await workers(15, 7100, (fuzzer) =>
      rawAfterTlsUpgrade(
        endpoint.port,
        '/ws',
        Array.from({ length: 1 + fuzzer.int(4) }, () => hostileWebSocketBytes(fuzzer, fuzzer.pick(texts))),
      ),
    );
    expect(upgraded.reduce((total, count) => total + count, 0), 'TLS handshakes and upgrades that completed').toBeGreaterThan(60);
    const { sent } = await fuzzAll(
      Array.from({ length: CLIENTS_PER_PROTOCOL }, () => ({ url: endpoint.url!, frame: mutationsOf(VALID.socktop) })),
      7200,
    );
    expect(sent).toBeGreaterThan(1000);
    expect(agent.child.exitCode).toBeNull();
    await wellBehavedSample('socktop', endpoint.url, pinnedWebSocket(endpoint.fingerprint256!));
  }, 60_000);

  it('survives random and mutated datagrams from several sockets at once on the discovery port and still answers each DISCOVER_SERVER', async () => {
    const port = agent.endpoints.find((endpoint) => endpoint.kind === 'udp')!.port;
    const sockets = Array.from({ length: UDP_SENDERS }, () => dgram.createSocket('udp4'));
    const answers = sockets.map(() => [] as string[]);
    sockets.forEach((socket, index) => socket.on('message', (message) => answers[index]!.push(message.toString())));
    try {
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))));
      await Promise.all(
        sockets.map(async (socket, sender) => {
          const fuzzer = new Fuzzer(seededRandom(SEED + 999 + sender));
          for (let index = 0; index < DATAGRAMS_PER_SENDER; index++) {
            const datagram = index % 3 === 0 ? fuzzer.mutateBytes('DISCOVER_SERVER') : fuzzer.bytes(index % 50 === 0 ? 60_000 : 300);
            socket.send(datagram, port, '127.0.0.1');
            if (index % 50 === 0) await sleep(1);
          }
        }),
      );
      await sleep(1100);
      for (const received of answers) received.length = 0;
      for (const socket of sockets) socket.send('DISCOVER_SERVER', port, '127.0.0.1');
      const started = Date.now();
      while (answers.some((received) => received.length === 0) && Date.now() - started < 3000) await sleep(20);
      expect(answers.map((received) => received.length)).toEqual(sockets.map(() => 1));
      for (const [answer] of answers) expect(JSON.parse(answer!)).toMatchObject({ type: 'SERVER_RESPONSE' });
    } finally {
      for (const socket of sockets) socket.close();
    }
  }, 30_000);

  it('survives random HTTP requests to every HTTP endpoint and still answers well-behaved ones', async () => {
    const fuzzer = new Fuzzer(seededRandom(SEED + 4242));
    const bases = agent.endpoints.filter((endpoint) => endpoint.kind === 'http' || endpoint.kind === 'ws').map((endpoint) => `http://127.0.0.1:${endpoint.port}`);
    const paths = ['/', '/exec', '/kill?id=1', '/tasks', '/logs?id=x', '/stats', '/hostname', '/health', '/metrics', '/ws', '/../../etc/passwd', '/%00'];
    for (let index = 0; index < 400; index++) {
      const method = fuzzer.pick(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']);
      const body = method === 'GET' || method === 'OPTIONS' ? undefined : fuzzer.int(2) ? JSON.stringify(fuzzer.jsonValue()) : fuzzer.bytes(2000);
      await fetch(`${fuzzer.pick(bases)}${fuzzer.pick(paths)}`, { method, body, headers: { 'Content-Type': fuzzer.pick(['application/json', 'text/plain', '']) } }).then(
        (response) => response.arrayBuffer(),
        () => undefined,
      );
    }
    expect(agent.child.exitCode).toBeNull();
    const stats = await fetch(new URL('/stats', agent.url('servercontrol', 'api')));
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ ram_total: expect.any(Number) });
    const health = await fetch(agent.url('sysmedic', 'health'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy' });
    const metrics = await fetch(agent.url('metrics'));
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('node_cpu_seconds_total');
  }, 60_000);

  it('ends with memory near its baseline and nothing logged at error level', async () => {
    await sleep(3000);
    await collectGarbage(inspectorUrl(agent.stderr));
    const finalRssBytes = rssBytes(agent.child.pid!);
    const finalJsBytes = await jsMemoryBytes();
    console.log(`agent RSS: ${(baselineRssBytes / 1e6).toFixed(1)} MB before fuzzing, ${(finalRssBytes / 1e6).toFixed(1)} MB after`);
    console.log(`agent JS heap + buffers: ${(baselineJsBytes / 1e6).toFixed(1)} MB before fuzzing, ${(finalJsBytes / 1e6).toFixed(1)} MB after`);
    expect(finalRssBytes).toBeLessThan(baselineRssBytes * 1.5);
    expect(finalJsBytes).toBeLessThan(baselineJsBytes * 1.5);
    expect(agent.stderr.filter((line) => / error /.test(line))).toEqual([]);
  }, 30_000);
});
