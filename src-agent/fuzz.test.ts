// Fuzzes every protocol of the built agent process at once-per-protocol: thousands of random and mutated
// frames from several clients, then UDP datagrams and HTTP requests. Afterwards the agent must still serve
// a well-behaved client of each protocol, its memory must be back near where it started, and it must have
// logged nothing at error level. Bounded in count and time; the seed is printed for replay.

import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS } from '../proto/clients';
import { Connection } from '../proto/connection';
import { PROTOCOL_IDS, type ProtocolId } from '../proto/protocols';
import { Fuzzer, seededRandom } from '../test-support/fuzz';
import { recordSink } from '../test-support/sink-recorder';
import { spawnAgent, type SpawnedAgent } from '../test-support/test-agent';
import { sleep } from '../test-support/ws-recorder';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const CLIENTS_PER_PROTOCOL = 4;
const FRAMES_PER_CLIENT = 600;
const TIME_BOUND_MS = 20_000;

const VALID: Record<ProtocolId, (string | Record<string, unknown>)[]> = {
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

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

function connectUrl(protocol: ProtocolId): string {
  return agent.connect.find((endpoint) => endpoint.protocol === protocol)!.url;
}

/** A well-behaved client of the protocol receives a sample. */
async function wellBehavedSample(protocol: ProtocolId): Promise<void> {
  const sink = recordSink();
  const connection = new Connection({ endpoint: { protocol, url: connectUrl(protocol) }, client: CLIENTS[protocol], WebSocket, sink });
  connection.start();
  try {
    await sink.until(() => sink.samples.length > 0, 12_000, `a ${protocol} sample`);
  } finally {
    connection.stop();
  }
}

/** One fuzzing client: sends its frames, reconnecting whenever the agent closes it, within the time bound. */
async function fuzzClient(url: string, fuzzer: Fuzzer, valid: readonly (string | Record<string, unknown>)[], deadline: number): Promise<number> {
  let sent = 0;
  while (sent < FRAMES_PER_CLIENT && Date.now() < deadline) {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    if (!opened) {
      await sleep(50);
      continue;
    }
    socket.on('error', () => {});
    while (sent < FRAMES_PER_CLIENT && Date.now() < deadline && socket.readyState === WebSocket.OPEN) {
      const frame = fuzzer.frame(valid);
      socket.send(frame.data, { binary: frame.binary });
      sent += 1;
      if (sent % 25 === 0) await sleep(1);
    }
    socket.terminate();
  }
  return sent;
}

beforeAll(async () => {
  agent = await spawnAgent(['--max-messages-per-second', '100000', '--max-connections-per-ip', '1000', '--gpu-usage-interval', '1', '--sysmedic-interval', '1'], { gpus: true });
  for (const protocol of PROTOCOL_IDS) await wellBehavedSample(protocol);
  await sleep(2000);
  baselineRssBytes = rssBytes(agent.child.pid!);
}, 60_000);

afterAll(async () => {
  await agent?.stop();
});

describe(`fuzzing the built agent (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  it.each(PROTOCOL_IDS)(
    '%s survives thousands of random and mutated frames from several clients and still serves a well-behaved client',
    async (protocol) => {
      const deadline = Date.now() + TIME_BOUND_MS;
      const urls = protocol === 'vstats' ? [connectUrl('vstats'), connectUrl('vstats').replace(/\/ws$/, '/ws/agent')] : [connectUrl(protocol)];
      const counts = await Promise.all(
        Array.from({ length: CLIENTS_PER_PROTOCOL }, (_, index) =>
          fuzzClient(urls[index % urls.length]!, new Fuzzer(seededRandom(SEED + index + PROTOCOL_IDS.indexOf(protocol) * 100)), VALID[protocol], deadline),
        ),
      );
      expect(counts.reduce((total, count) => total + count, 0)).toBeGreaterThan(1000);
      expect(agent.child.exitCode).toBeNull();
      await wellBehavedSample(protocol);
    },
    60_000,
  );

  it('survives thousands of random and mutated datagrams on the discovery port and still answers DISCOVER_SERVER', async () => {
    const port = agent.endpoints.find((endpoint) => endpoint.kind === 'udp')!.port;
    const fuzzer = new Fuzzer(seededRandom(SEED + 999));
    const socket = dgram.createSocket('udp4');
    let answers = 0;
    socket.on('message', () => (answers += 1));
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    for (let index = 0; index < 3000; index++) {
      const datagram = index % 3 === 0 ? fuzzer.mutateBytes('DISCOVER_SERVER') : fuzzer.bytes(index % 50 === 0 ? 60_000 : 300);
      socket.send(datagram, port, '127.0.0.1');
      if (index % 100 === 0) await sleep(1);
    }
    await sleep(1100);
    answers = 0;
    socket.send('DISCOVER_SERVER', port, '127.0.0.1');
    const started = Date.now();
    while (answers === 0 && Date.now() - started < 3000) await sleep(20);
    socket.close();
    expect(answers).toBe(1);
  }, 30_000);

  it('survives random HTTP requests to every HTTP endpoint', async () => {
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
  }, 60_000);

  it('ends with memory near its baseline and nothing logged at error level', async () => {
    await sleep(3000);
    const finalRssBytes = rssBytes(agent.child.pid!);
    console.log(`agent RSS: ${(baselineRssBytes / 1e6).toFixed(1)} MB before fuzzing, ${(finalRssBytes / 1e6).toFixed(1)} MB after`);
    expect(finalRssBytes).toBeLessThan(baselineRssBytes * 1.5);
    expect(agent.stderr.filter((line) => / error /.test(line))).toEqual([]);
  }, 30_000);
});
