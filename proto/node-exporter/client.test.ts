import { readFileSync, statfsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import type { HttpAnswer, PollContext } from '../http-source';
import { MIB } from '../units';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { pollSource } from '../../test-support/poll-harness';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { recordSink } from '../../test-support/sink-recorder';
import { startTestAgent } from '../../test-support/test-agent';
import { nodeExporterClient } from './client';
import { nodeExporterProtocol } from './descriptor';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const EXPOSITION_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const NODE_1 = fixture('node-exporter-1.5.0-scrape-1.txt');
const NODE_2 = fixture('node-exporter-1.5.0-scrape-2.txt');
const AGENT = fixture('fleetwatch-agent-0.1.0-scrape-1.txt');
const PROMETHEUS = fixture('prometheus-2.42.0+ds-own-metrics.txt');
const LANDING = fixture('node-exporter-1.5.0-landing.html');
/** Two- and four-byte UTF-8 characters, so a count of characters would differ from the count of bytes. */
const PROSE = 'grüße 😀\n';
/** What the fake nvidia-smi beside the test agent replays, one row per second. */
const RECORDED_GPU = [
  { utilization: [87, 91, 64, 99], usedMib: [31_245, 31_311, 30_977, 31_402] },
  { utilization: [12, 0, 35, 58], usedMib: [2210, 2210, 8120, 12_004] },
];

const cleanups = cleanupAfterEach();

const answer = (body: string, contentType = EXPOSITION_TYPE): HttpAnswer => ({ status: 200, contentType, body });

/** A session fed canned answers, recording what it asked for. */
function session(answers: HttpAnswer[], { path = '/metrics', params = '' } = {}) {
  const sink = recordSink();
  const requested: string[] = [];
  const context: PollContext = {
    get: async (pathAndQuery) => {
      requested.push(pathAndQuery);
      const next = answers.shift();
      if (!next) throw new Error('no more canned answers');
      return next;
    },
    sink,
    fail: (reason) => {
      throw new Error(`unexpected fail(): ${reason}`);
    },
    hostLabel: 'gpu-box:9100',
    path,
    params: new URLSearchParams(params),
    now: () => 1_796_504_700_000,
  };
  return { sink, requested, poll: nodeExporterClient.open(context).poll };
}

function memTotalBytes(): number {
  return Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024;
}

describe('node_exporter client', () => {
  it('carries the descriptor: capabilities, the metrics path, a 2 s interval and a 16 MB cap', () => {
    expect(nodeExporterClient.capabilities).toBe(nodeExporterProtocol.capabilities);
    expect(nodeExporterClient.fingerprintPaths).toEqual(['/metrics']);
    expect(nodeExporterClient.pollIntervalMs).toBe(2000);
    expect(nodeExporterClient.maxBodyBytes).toBe(16 * 1024 * 1024);
  });

  it("fingerprints node_exporter's and our agent's recorded expositions by their node_ series", () => {
    expect(nodeExporterClient.fingerprint('/metrics', answer(NODE_1))).toBe('text exposition with node_cpu_seconds_total');
    expect(nodeExporterClient.fingerprint('/metrics', answer(AGENT))).toBe('text exposition with node_cpu_seconds_total');
    expect(nodeExporterClient.fingerprint('/metrics', answer(NODE_1, ''))).toBe('text exposition with node_cpu_seconds_total');
    expect(nodeExporterClient.fingerprint('/metrics', answer('# TYPE node_load1 gauge\nnode_load1 0.5\n# EOF\n', 'application/openmetrics-text; version=1.0.0'))).toBe(
      'OpenMetrics exposition with node_load1',
    );
  });

  it("refuses Prometheus' own /metrics, an HTML page, JSON, an empty body, prose and a GPU-only exposition", () => {
    const refused = [
      answer(PROMETHEUS),
      answer(LANDING, 'text/html; charset=utf-8'),
      answer(LANDING, 'text/plain'),
      answer('{"cpu":{"total":12.5},"node_load1":1}', 'application/json'),
      answer('[{"node_load1": 1}]', 'text/plain'),
      answer(''),
      answer('Welcome!\nThis machine runs node_exporter.\nSee the docs for details.\nnode_load1 1\n', 'text/plain'),
      answer('DCGM_FI_DEV_GPU_UTIL{gpu="0",modelName="NVIDIA H100"} 80\n'),
    ];
    for (const candidate of refused) expect(nodeExporterClient.fingerprint('/metrics', candidate), candidate.body.slice(0, 40)).toBeNull();
  });

  it('polls the metrics path, announces the host once under its address and sends a sample per poll', async () => {
    const { sink, requested, poll } = session([answer(NODE_1), answer(NODE_2), answer(NODE_2)]);
    await poll();
    await poll();
    await poll();
    expect(requested).toEqual(['/metrics', '/metrics', '/metrics']);
    expect([...sink.hosts.values()]).toEqual([
      {
        id: 'gpu-box:9100',
        hostname: 'vm',
        os: { name: 'Debian GNU/Linux', version: '12', kernel: '6.18.44-fc-v1272', arch: 'x86_64' },
        cpu: { cores: 2 },
        memoryTotalBytes: 25_276_157_952,
        serverStatus: 'node_exporter 1.5.0',
      },
    ]);
    expect(sink.samples.map(({ hostId }) => hostId)).toEqual(['gpu-box:9100', 'gpu-box:9100', 'gpu-box:9100']);
    expect(sink.samples[0]!.sample.cpu).toBeUndefined();
    expect(sink.samples[1]!.sample.cpu?.totalPercent).toBeGreaterThan(0);
  });

  it('announces the host again when what it says about the machine changes', async () => {
    const grown = NODE_2.replace('node_memory_MemTotal_bytes 2.5276157952e+10', 'node_memory_MemTotal_bytes 5.0552315904e+10');
    const hostsSeen: number[] = [];
    const { sink, poll } = session([answer(NODE_1), answer(NODE_2), answer(grown)]);
    for (let index = 0; index < 3; index += 1) {
      await poll();
      hostsSeen.push(sink.hosts.get('gpu-box:9100')!.memoryTotalBytes!);
    }
    expect(hostsSeen).toEqual([25_276_157_952, 25_276_157_952, 50_552_315_904]);
  });

  it("names the host by its address when the server does not say its name, and reads a custom path and the user's query", async () => {
    const { sink, requested, poll } = session([answer('node_load1 0.5\n')], { path: '/node/metrics', params: 'collect[]=cpu' });
    await poll();
    expect(requested).toEqual(['/node/metrics?collect%5B%5D=cpu']);
    expect(sink.hosts.get('gpu-box:9100')).toEqual({ id: 'gpu-box:9100', hostname: 'gpu-box:9100' });
    const { requested: fromRoot, poll: pollRoot } = session([answer(NODE_1)], { path: '/' });
    await pollRoot();
    expect(fromRoot).toEqual(['/metrics']);
  });

  it('fails a poll with a sentence saying what came instead of an exposition with node_ series', async () => {
    const cases: [HttpAnswer, string][] = [
      [answer(LANDING, 'text/html; charset=utf-8'), "/metrics answered with an HTML page, not a metrics exposition: is this node_exporter's /metrics?"],
      [answer('{"status":"success"}', 'application/json'), "/metrics answered JSON, not a metrics exposition: is this node_exporter's /metrics?"],
      [answer(PROMETHEUS), `/metrics answered ${Buffer.byteLength(PROMETHEUS)} bytes with no node_ series: is this node_exporter's /metrics?`],
      [answer(PROSE), `/metrics answered ${Buffer.byteLength(PROSE)} bytes with no node_ series: is this node_exporter's /metrics?`],
      [answer(''), "/metrics answered 0 bytes with no node_ series: is this node_exporter's /metrics?"],
    ];
    for (const [given, message] of cases) {
      const { sink, poll } = session([given]);
      await expect(poll()).rejects.toThrow(message);
      expect(sink.samples).toHaveLength(0);
    }
  });

  it('reads what arrived of an exposition cut short, and nothing of its cut line', async () => {
    const cut = NODE_2.slice(0, NODE_2.indexOf('node_memory_MemTotal_bytes 2.5') + 'node_memory_MemTotal_bytes 2.5'.length);
    const { sink, poll } = session([answer(NODE_1), answer(cut)]);
    await poll();
    await poll();
    const { sample } = sink.samples[1]!;
    expect(sample.cpu?.totalPercent).toBeGreaterThan(0);
    expect(sample.memory).toBeUndefined();
    expect(sample.cpu?.load).toEqual([0.88, 1.13, 1.02]);
    expect(sample.disks?.[0]?.totalBytes).toBe(270_553_174_016);
  });

  it('reads the real node_exporter: hostname, kernel, CPU within 0–100 per core, memory as /proc/meminfo, the root filesystem as statfs', async () => {
    const server = await startNodeExporter();
    cleanups.push(() => server.stop());
    const { sink, states, stop } = pollSource(nodeExporterClient, `${server.origin}/metrics`, { pollIntervalMs: 300 });
    cleanups.push(stop);
    await sink.until(() => sink.samples.some(({ sample }) => sample.cpu !== undefined), 5000, 'a sample with CPU');
    const hostLabel = `127.0.0.1:${server.port}`;
    const host = sink.hosts.get(hostLabel)!;
    expect(host.hostname).toBe(os.hostname());
    expect(host.os?.kernel).toBe(os.release());
    expect(host.cpu?.cores).toBe(os.cpus().length);
    expect(host.memoryTotalBytes).toBe(memTotalBytes());
    expect(host.serverStatus).toMatch(/^node_exporter \d+\.\d+\.\d+$/);

    const { sample } = sink.samples.find(({ sample }) => sample.cpu !== undefined)!;
    expect(sample.cpu!.totalPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpu!.totalPercent).toBeLessThanOrEqual(100);
    expect(sample.cpu!.perCorePercent).toHaveLength(os.cpus().length);
    for (const share of sample.cpu!.perCorePercent!) expect(share).toBeGreaterThanOrEqual(0);
    for (const share of sample.cpu!.perCorePercent!) expect(share).toBeLessThanOrEqual(100);
    expect(sample.cpu!.load).toHaveLength(3);
    expect(sample.memory!.totalBytes).toBe(memTotalBytes());
    expect(sample.memory!.usedBytes).toBeGreaterThan(0);
    expect(sample.memory!.usedBytes).toBeLessThan(memTotalBytes());
    const root = statfsSync('/');
    expect(sample.disks?.find((disk) => disk.mountPoint === '/')?.totalBytes).toBe(root.blocks * root.bsize);
    expect(sample.network?.rxBytesPerSec).toBeGreaterThanOrEqual(0);
    expect(Math.abs(sample.uptimeSec! - os.uptime())).toBeLessThan(5);
    expect(states.at(-1)?.status).toBe('connected');
  });

  it("passes the user's collect[] filter on to the real node_exporter", async () => {
    const server = await startNodeExporter();
    cleanups.push(() => server.stop());
    const { sink, stop } = pollSource(nodeExporterClient, `${server.origin}/metrics?collect[]=meminfo&collect[]=uname`, { pollIntervalMs: 300 });
    cleanups.push(stop);
    await sink.until(() => sink.samples.length >= 2, 5000, 'two samples');
    const { sample } = sink.samples[1]!;
    expect(sample.memory?.totalBytes).toBe(memTotalBytes());
    expect(sample.cpu).toBeUndefined();
    expect(sample.disks).toBeUndefined();
    expect(sink.hosts.get(`127.0.0.1:${server.port}`)?.hostname).toBe(os.hostname());
  });

  it("reads our own agent's /metrics: its two fake GPUs, CPU, memory and hostname", async () => {
    const agent = await startTestAgent([], { fakeGpus: true });
    cleanups.push(() => agent.close());
    const url = agent.url('metrics');
    const { sink, stop } = pollSource(nodeExporterClient, url, { pollIntervalMs: 300 });
    cleanups.push(stop);
    await sink.until(() => sink.samples.some(({ sample }) => sample.cpu !== undefined && sample.gpus?.length === 2), 8000, 'a sample with CPU and two GPUs');
    const host = sink.hosts.get(new URL(url).host)!;
    expect(host.hostname).toBe(os.hostname());
    expect(host.hostname).toBe((await agent.sampler.hostInfo()).hostname);
    expect(host.gpus).toEqual([0, 1].map((index) => ({ index, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memoryTotalBytes: 49_140 * MIB })));

    const { sample } = sink.samples.find(({ sample }) => sample.cpu !== undefined && sample.gpus?.length === 2)!;
    expect(sample.cpu!.totalPercent).toBeGreaterThanOrEqual(0);
    expect(sample.cpu!.totalPercent).toBeLessThanOrEqual(100);
    expect(sample.cpu!.perCorePercent).toHaveLength(os.cpus().length);
    expect(Math.abs(sample.memory!.totalBytes! - memTotalBytes())).toBeLessThanOrEqual(MIB);
    sample.gpus!.forEach((gpu, index) => {
      expect(gpu.name).toBe('NVIDIA RTX A6000');
      expect(RECORDED_GPU[index]!.utilization).toContain(gpu.utilizationPercent);
      expect(RECORDED_GPU[index]!.usedMib.map((mib) => mib * MIB)).toContain(gpu.memoryUsedBytes);
      expect(gpu.memoryTotalBytes).toBe(49_140 * MIB);
    });
  });

  it('gives up a 100 MB answer at the 16 MB cap, says so, and reads the next answer', async () => {
    const line = 'node_cpu_seconds_total{cpu="0",mode="idle"} 38653.29\n';
    const chunk = line.repeat(Math.floor(65_536 / line.length));
    const hugeBytes = 100 * 1024 * 1024;
    let requests = 0;
    let writtenWhenClosed: number | undefined;
    const server = http.createServer((_request, response) => {
      requests += 1;
      response.writeHead(200, { 'content-type': EXPOSITION_TYPE });
      if (requests > 1) return response.end(requests === 2 ? NODE_1 : NODE_2);
      let written = 0;
      response.on('close', () => (writtenWhenClosed = written));
      const pump = (): void => {
        while (written < hugeBytes) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())), () => server.closeAllConnections());
    const { port } = server.address() as AddressInfo;

    const { sink, states, stop } = pollSource(nodeExporterClient, `http://127.0.0.1:${port}/metrics`, { pollIntervalMs: 200 });
    cleanups.push(stop);
    await sink.until(() => sink.samples.length >= 2, 10_000, 'samples after the oversized answer');
    expect(states.map((state) => state.status)).toEqual(['connecting', 'reconnecting', 'connected']);
    const failed = states[1]!;
    expect(failed.status === 'reconnecting' && failed.reason).toBe(`Could not read http://127.0.0.1:${port}/metrics: the answer grew past the 16 MB this source accepts.`);
    expect(writtenWhenClosed).toBeDefined();
    expect(writtenWhenClosed!).toBeLessThan(40 * 1024 * 1024);
    expect(sink.samples[1]!.sample.cpu?.totalPercent).toBeGreaterThan(0);
  });
});
