// The client against Debian's Prometheus 2.42 scraping, every second, Debian's node_exporter (job `node`)
// and our own agent's /metrics with two fake GPUs (job `fleetwatch`), both on this machine.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { pollSource, type PolledSource } from '../../test-support/poll-harness';
import { startNodeExporter } from '../../test-support/real-servers/node-exporter';
import { startPrometheus } from '../../test-support/real-servers/prometheus';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import type { RealServer } from '../../test-support/real-servers/daemon';
import { sleep } from '../../test-support/ws-recorder';
import type { ConnectionState } from '../connection';
import { prometheusClient } from './client';

const cleanups = cleanupAfterEach();
const MIB = 1024 * 1024;

function memTotalBytes(): number {
  const kib = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]!;
  return Number(kib) * 1024;
}

interface Fleet {
  prometheus: RealServer;
  /** Where the client finds its API: the origin, or the origin and the prefix it serves under. */
  base: string;
  nodeExporter: RealServer;
  nodeInstance: string;
  agentInstance: string;
}

const stops: (() => Promise<void>)[] = [];
let agent: TestAgent;
let shared: Fleet;
let prefixed: Fleet;
let doomed: Fleet;

// Prometheus passes new targets to its scrapers at most every 5 s, so every fleet starts at once: the
// shared one, one serving under a prefix, and one whose node_exporter a test kills.
beforeAll(async () => {
  agent = await startTestAgent([], { fakeGpus: true });
  stops.push(() => agent.close());
  const sharedNodeExporter = await startNodeExporter();
  stops.push(() => sharedNodeExporter.stop());
  [shared, prefixed, doomed] = await Promise.all([startFleet(sharedNodeExporter), startFleet(sharedNodeExporter, '/prometheus'), startNodeExporter().then((own) => (stops.push(() => own.stop()), startFleet(own)))]);
}, 30_000);
afterAll(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A Prometheus scraping `nodeExporter` (job `node`) and the agent (job `fleetwatch`) every second, under `routePrefix` when given. */
async function startFleet(nodeExporter: RealServer, routePrefix?: string): Promise<Fleet> {
  const nodeInstance = `127.0.0.1:${nodeExporter.port}`;
  const agentInstance = `127.0.0.1:${agent.endpoint('metrics').port}`;
  const prometheus = await startPrometheus({
    scrapeIntervalSeconds: 1,
    jobs: [
      { name: 'node', targets: [nodeInstance] },
      { name: 'fleetwatch', targets: [agentInstance] },
    ],
    routePrefix,
  });
  stops.push(() => prometheus.stop());
  const base = `${prometheus.origin}${routePrefix ?? ''}/`;
  await scrapedOnce(base, 2);
  return { prometheus, base, nodeExporter, nodeInstance, agentInstance };
}

/** Until Prometheus has scraped its targets a poll finds no host, fails, and backs off for seconds. */
async function scrapedOnce(base: string, targets: number): Promise<void> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(100)) {
    const answer = (await (await fetch(`${base}api/v1/query?query=${encodeURIComponent('up == 1')}`)).json()) as { data: { result: unknown[] } };
    if (answer.data.result.length === targets) return;
  }
  throw new Error(`Prometheus did not scrape its ${targets} targets within 20 s`);
}

function poll(url: string): PolledSource {
  const polled = pollSource(prometheusClient, url, { pollIntervalMs: 1000 });
  cleanups.push(() => polled.stop());
  return polled;
}

const sampled = (polled: PolledSource, hostId: string, after = 0): boolean => polled.sink.samples.slice(after).some((entry) => entry.hostId === hostId && entry.sample.cpu !== undefined);

/** Waits for a connection state, which no sink callback announces, bounded in time. */
async function state(states: ConnectionState[], predicate: (state: ConnectionState) => boolean, what: string): Promise<ConnectionState> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
    const found = states.find(predicate);
    if (found) return found;
  }
  throw new Error(`${what} not reached within 10 s; states: ${JSON.stringify(states)}`);
}

const reasonOf = (found: ConnectionState): string => (found.status === 'reconnecting' ? found.reason : '');

describe('prometheus client against the real Prometheus 2.42', () => {
  it("reads both scraped hosts from one query: CPU once rates exist, this machine's memory and hostname, the agent's two GPUs", async () => {
    const { base, nodeInstance, agentInstance } = shared;
    const polled = poll(base);
    await polled.sink.until(() => sampled(polled, nodeInstance) && sampled(polled, agentInstance), 15_000, 'CPU figures for both hosts');

    expect([...polled.sink.hosts.keys()].sort()).toEqual([agentInstance, nodeInstance].sort());
    for (const id of [nodeInstance, agentInstance]) {
      expect(polled.sink.hosts.get(id)).toMatchObject({ id, hostname: os.hostname(), memoryTotalBytes: memTotalBytes() });
      const { sample } = polled.sink.samples.filter((entry) => entry.hostId === id && entry.sample.cpu !== undefined).at(-1)!;
      expect(sample.cpu!.totalPercent).toBeGreaterThanOrEqual(0);
      expect(sample.cpu!.totalPercent).toBeLessThanOrEqual(100);
      expect(sample.cpu!.perCorePercent).toHaveLength(os.cpus().length);
      expect(sample.memory!.totalBytes).toBe(memTotalBytes());
      expect(sample.memory!.usedPercent).toBeGreaterThan(0);
      expect(sample.disks?.find((disk) => disk.mountPoint === '/')?.totalBytes).toBeGreaterThan(0);
      expect(sample.uptimeSec).toBeCloseTo(os.uptime(), -1);
      expect(sample.network?.rxBytesPerSec).toBeGreaterThanOrEqual(0);
    }
    expect(polled.sink.hosts.get(nodeInstance)?.os).toEqual({ name: 'Linux', kernel: os.release(), arch: 'x86_64' });
    expect(polled.sink.hosts.get(agentInstance)?.gpus?.map((gpu) => gpu.name)).toEqual(['NVIDIA RTX A6000', 'NVIDIA RTX A6000']);
    const gpus = polled.sink.samples.filter((entry) => entry.hostId === agentInstance).at(-1)!.sample.gpus!;
    expect(gpus.map((gpu) => [gpu.index, gpu.memoryTotalBytes])).toEqual([
      [0, 49_140 * MIB],
      [1, 49_140 * MIB],
    ]);
    expect(polled.sink.samples.some((entry) => entry.hostId === nodeInstance && entry.sample.gpus !== undefined)).toBe(false);
  });

  it('reads only the jobs its ?job= filter matches', async () => {
    const { base, nodeInstance, agentInstance } = shared;
    const polled = poll(`${base}?job=node`);
    await polled.sink.until(() => sampled(polled, nodeInstance), 15_000, "the node_exporter's CPU");
    const seen = polled.sink.samples.length;
    await polled.sink.until(() => polled.sink.samples.length > seen, 5000, 'one more poll');
    expect([...polled.sink.hosts.keys()]).toEqual([nodeInstance]);
    expect(polled.sink.samples.some((entry) => entry.hostId === agentInstance)).toBe(false);
  });

  it('marks the node_exporter offline once it is killed, while the agent host keeps sampling', async () => {
    const { base, nodeExporter, nodeInstance, agentInstance } = doomed;
    const polled = poll(base);
    await polled.sink.until(() => sampled(polled, nodeInstance) && sampled(polled, agentInstance), 15_000, 'CPU figures for both hosts');
    await nodeExporter.stop();
    await polled.sink.until(() => polled.sink.statuses.some((status) => status.hostId === nodeInstance && !status.online), 10_000, 'the node_exporter offline');
    const offlineAt = polled.sink.samples.length;
    await polled.sink.until(() => polled.sink.samples.slice(offlineAt).filter((entry) => entry.hostId === agentInstance).length >= 2, 10_000, 'two more agent samples');
    expect(polled.sink.samples.slice(offlineAt).some((entry) => entry.hostId === nodeInstance)).toBe(false);
    expect(polled.sink.statuses.filter((status) => status.hostId === agentInstance)).toEqual([{ hostId: agentInstance, online: true }]);
    expect(polled.sink.hosts.has(nodeInstance)).toBe(true);
    expect(polled.sink.removed).toEqual([]);
  });

  it('works under a path prefix, and no job filter, however quoted, can change the query', async () => {
    const { base, nodeInstance, agentInstance } = prefixed;
    expect(base).toMatch(/\/prometheus\/$/);

    // \x6f is "o": the backslash reaches Prometheus' regexp intact.
    const escaped = poll(`${base}?job=${encodeURIComponent('n\\x6fde|fleetwatch')}`);
    await escaped.sink.until(() => sampled(escaped, nodeInstance) && sampled(escaped, agentInstance), 15_000, 'both hosts through the prefix');
    escaped.stop();

    // Unescaped, this quote would end the string: a parse error, or a selector of every node_uname_info.
    const injection = poll(`${base}?job=${encodeURIComponent('x"} or node_uname_info{job=~".+')}`);
    const unmatched = await state(injection.states, (found) => found.status === 'reconnecting', 'a failed poll');
    expect(reasonOf(unmatched)).toContain('no scrape job of this Prometheus matches job=~"x\\"} or node_uname_info{job=~\\".+"');
    expect(injection.sink.hosts.size).toBe(0);
    injection.stop();

    const badRegex = poll(`${base}?job=${encodeURIComponent('(')}`);
    const refused = await state(badRegex.states, (found) => found.status === 'reconnecting', 'a failed poll');
    expect(reasonOf(refused)).toMatch(/^Could not read .*: Prometheus could not run FleetWatch's query for the jobs matching job=~"\(" \(bad_data\): .*error parsing regexp: missing closing \)/);
    expect(badRegex.sink.hosts.size).toBe(0);
  });
});
