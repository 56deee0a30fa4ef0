import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../connection';
import type { HttpAnswer } from '../http-source';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { pollSource, type PolledSource } from '../../test-support/poll-harness';
import { glancesClient } from './client';
import { glancesProtocol } from './descriptor';
import { DOCUMENTED_V4_PLUGINS, fixture, fixtureAnswers, RECORDED_V3_PLUGINS, startGlancesStandIn, type GlancesStandIn, type StandInAnswer } from './test-glances-stand-in';

const cleanups = cleanupAfterEach();
const POLL_MS = 40;
const NODE_EXPORTER_PAGE = fixture('other-node-exporter-1.5-api-3-pluginslist-200.txt');

function json(body: string): HttpAnswer {
  return { status: 200, contentType: 'application/json; charset=utf-8', body };
}

function recordedV3(changes: Record<string, StandInAnswer> = {}): Map<string, StandInAnswer> {
  const answers = fixtureAnswers(3, 'glances-3.3.1.1-', RECORDED_V3_PLUGINS);
  for (const [path, answer] of Object.entries(changes)) answers.set(path, answer);
  return answers;
}

async function standIn(answers: Map<string, StandInAnswer>): Promise<GlancesStandIn> {
  const server = await startGlancesStandIn(answers);
  cleanups.push(() => server.close());
  return server;
}

function poll(url: string): PolledSource {
  const source = pollSource(glancesClient, url, { pollIntervalMs: POLL_MS });
  cleanups.push(() => source.stop());
  return source;
}

/** Waits, at most timeoutMs, for a state the predicate accepts. */
async function untilState(states: ConnectionState[], predicate: (state: ConnectionState) => boolean, timeoutMs = 3000): Promise<ConnectionState> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 10))) {
    const found = states.find(predicate);
    if (found) return found;
  }
  throw new Error(`no such state within ${timeoutMs} ms; states: ${JSON.stringify(states)}`);
}

function count(requests: string[], path: string): number {
  return requests.filter((request) => request === path).length;
}

describe('glances descriptor and client', () => {
  it('declare the same capabilities and the HTTP transport', () => {
    expect(glancesClient.capabilities).toEqual(glancesProtocol.capabilities);
    expect(glancesClient.transport).toBe('http');
    expect(glancesProtocol.transport).toBe('http');
    expect(glancesClient.fingerprintPaths).toEqual(['/api/4/pluginslist', '/api/3/pluginslist']);
  });
});

describe('glances fingerprint', () => {
  it("names the version and the path when the plugin list is Glances' own", () => {
    expect(glancesClient.fingerprint('/api/3/pluginslist', json(fixture('glances-3.3.1.1-pluginslist.json')))).toBe('Glances API v3 answered /api/3/pluginslist with its plugin list (28 plugins)');
    expect(glancesClient.fingerprint('/api/4/pluginslist', json(fixture('glances-4-from-docs-pluginslist.json')))).toBe('Glances API v4 answered /api/4/pluginslist with its plugin list (34 plugins)');
  });

  it("rejects HTML pages, the other servers' answers and lists that are not Glances' plugins", () => {
    const others = [
      NODE_EXPORTER_PAGE,
      fixture('other-node-exporter-1.5-metrics-200.txt'),
      fixture('other-prometheus-2.42-buildinfo-200.txt'),
      fixture('other-prometheus-2.42-api-3-pluginslist-404.txt'),
      fixture('glances-3.3.1.1-api-4-pluginslist-404.html'),
      fixture('glances-3.3.1.1-cpu.json'),
      '',
      '["cpu","mem"]',
      '["alpha","beta","gamma","delta"]',
      '["cpu","mem","load",1]',
    ];
    for (const path of glancesClient.fingerprintPaths) for (const body of others) expect(glancesClient.fingerprint(path, json(body)), `${path}: ${body.slice(0, 40)}`).toBeNull();
  });

  it('answers only for its own paths', () => {
    expect(glancesClient.fingerprint('/metrics', json(fixture('glances-3.3.1.1-pluginslist.json')))).toBeNull();
    expect(glancesClient.fingerprint('/api/3/status', json(fixture('glances-3.3.1.1-pluginslist.json')))).toBeNull();
  });
});

describe('glances session against a stand-in serving recorded answers', () => {
  it("finds v3 after v4's 404, reads every mapped plugin, and reads the host's facts only once", async () => {
    const server = await standIn(recordedV3());
    const { sink } = poll(`${server.origin}/`);
    await sink.until(() => sink.samples.length >= 3, 3000, 'three samples');
    const hostLabel = new URL(server.origin).host;
    expect([...sink.hosts.values()]).toEqual([
      { id: hostLabel, hostname: 'vm', os: { name: 'Debian GNU/Linux 12', kernel: '6.18.44-fc-v1272' }, cpu: { model: 'AMD EPYC', cores: 2 }, memoryTotalBytes: 25_276_157_952 },
    ]);
    expect(server.requests.slice(0, 2)).toEqual(['/api/4/pluginslist', '/api/3/pluginslist']);
    expect(count(server.requests, '/api/3/pluginslist')).toBe(1);
    expect(count(server.requests, '/api/3/system')).toBe(1);
    expect(count(server.requests, '/api/3/quicklook')).toBe(1);
    expect(count(server.requests, '/api/3/cpu')).toBeGreaterThanOrEqual(3);
    expect(count(server.requests, '/api/3/processlist')).toBe(0);
    const { hostId, sample } = sink.samples[0]!;
    expect(hostId).toBe(hostLabel);
    expect(sample.cpu?.totalPercent).toBe(43.8);
    expect(sample.disks?.map((disk) => disk.mountPoint)).toEqual(['/']);
    expect(sample.uptimeSec).toBe(40_510);
    expect(sample.processes).toBeUndefined();
  });

  it('reads the process list only while processes are wanted', async () => {
    const server = await standIn(recordedV3());
    const { sink, connection } = poll(`${server.origin}/`);
    await sink.until(() => sink.samples.length >= 2, 3000, 'two samples');
    expect(count(server.requests, '/api/3/processlist')).toBe(0);
    connection.setInterest({ processes: true });
    await sink.until(() => sink.samples.some(({ sample }) => sample.processes !== undefined), 3000, 'a sample with processes');
    const withProcesses = sink.samples.find(({ sample }) => sample.processes)!.sample;
    expect(withProcesses.processes?.[0]).toMatchObject({ pid: 28000, name: 'glances', cpuPercent: 2.25 });
    expect(withProcesses.processCount).toBe(4);
    connection.setInterest({});
    const askedWhileWanted = count(server.requests, '/api/3/processlist');
    const samplesBefore = sink.samples.length;
    await sink.until(() => sink.samples.length >= samplesBefore + 3, 3000, 'three more samples');
    expect(count(server.requests, '/api/3/processlist')).toBeLessThanOrEqual(askedWhileWanted + 1);
    expect(sink.samples.at(-1)!.sample.processes).toBeUndefined();
  });

  it('asks a plugin that answers 404 or 400 once, and keeps polling the others', async () => {
    const server = await standIn(
      recordedV3({
        '/api/3/gpu': { status: 404, contentType: 'text/html', body: fixture('glances-3.3.1.1-api-4-pluginslist-404.html') },
        '/api/3/sensors': { status: 400, contentType: 'text/html', body: fixture('glances-3.3.1.1-unknown-plugin-400.html') },
      }),
    );
    const { sink } = poll(`${server.origin}/`);
    await sink.until(() => sink.samples.length >= 4, 3000, 'four samples');
    expect(count(server.requests, '/api/3/gpu')).toBe(1);
    expect(count(server.requests, '/api/3/sensors')).toBe(1);
    expect(sink.samples.at(-1)!.sample.cpu?.totalPercent).toBe(43.8);
  });

  it('never asks for a plugin missing from the plugin list (one disabled with --disable-plugin)', async () => {
    const list = (JSON.parse(fixture('glances-3.3.1.1-pluginslist.json')) as string[]).filter((plugin) => plugin !== 'gpu' && plugin !== 'sensors');
    const server = await standIn(recordedV3({ '/api/3/pluginslist': { body: JSON.stringify(list) } }));
    const { sink } = poll(`${server.origin}/`);
    await sink.until(() => sink.samples.length >= 2, 3000, 'two samples');
    expect(count(server.requests, '/api/3/gpu') + count(server.requests, '/api/3/sensors')).toBe(0);
  });

  it("reads v4 from its documentation's answers and never asks v3", async () => {
    const server = await standIn(fixtureAnswers(4, 'glances-4-from-docs-', DOCUMENTED_V4_PLUGINS));
    const { sink } = poll(`${server.origin}/`);
    await sink.until(() => sink.samples.length >= 2, 3000, 'two samples');
    expect([...sink.hosts.values()][0]).toMatchObject({ hostname: 'nicolargo-xps15', cpu: { model: '13th Gen Intel(R) Core(TM) i7-13620H', cores: 16 } });
    expect(sink.samples[0]!.sample.cpu?.totalPercent).toBe(6.1);
    expect(server.requests.filter((path) => path.startsWith('/api/3/'))).toEqual([]);
    expect(count(server.requests, '/api/4/gpu')).toBe(1);
  });

  it('reads an API behind a URL prefix, even from a URL that names a plugin path', async () => {
    const answers = new Map([...recordedV3()].map(([path, answer]) => [`/glances${path}`, answer]));
    const server = await standIn(answers);
    const { sink } = poll(`${server.origin}/glances/api/3/cpu`);
    await sink.until(() => sink.samples.length >= 1, 3000, 'a sample');
    expect(server.requests.slice(0, 2)).toEqual(['/glances/api/4/pluginslist', '/glances/api/3/pluginslist']);
    expect(sink.samples[0]!.sample.cpu?.totalPercent).toBe(43.8);
  });

  it("reads answers carrying Python's NaN and Infinity, with those figures missing and no NaN in the sample", async () => {
    const server = await standIn(
      recordedV3({
        '/api/3/cpu': { body: fixture('glances-3.3.1.1-cpu.json').replace('"total":43.8', '"total":NaN').replace('"cpucore":2', '"cpucore":Infinity') },
        '/api/3/network': { body: fixture('glances-3.3.1.1-network.json').replace('"cumulative_rx":2345384115', '"cumulative_rx":-Infinity') },
      }),
    );
    const { sink } = poll(`${server.origin}/`);
    await sink.until(() => sink.samples.length >= 1, 3000, 'a sample');
    const { sample } = sink.samples[0]!;
    expect(sample.cpu?.totalPercent).toBeCloseTo((48.4 + 39.0) / 2);
    expect(sample.network?.interfaces).toEqual([{ name: 'eth0', txBytes: 9_555_889, rxBytesPerSec: 0, txBytesPerSec: 0 }]);
    expect(JSON.stringify(sample)).not.toMatch(/null|NaN|Infinity/);
  });
});

describe('glances session against hostile answers', () => {
  it("fails the poll with a clear reason when a plugin path answers an HTML page", async () => {
    const server = await standIn(recordedV3({ '/api/3/mem': { contentType: 'text/html', body: NODE_EXPORTER_PAGE } }));
    const { sink, states } = poll(`${server.origin}/`);
    const state = await untilState(states, (candidate) => candidate.status === 'reconnecting');
    expect(state).toMatchObject({ reason: expect.stringContaining("/api/3/mem answered with an HTML page, not Glances' JSON: is this Glances' port?") });
    expect(sink.samples).toEqual([]);
  });

  it('fails the poll with a clear reason when a plugin answer is cut short', async () => {
    const body = fixture('glances-3.3.1.1-fs.json');
    const server = await standIn(recordedV3({ '/api/3/fs': { body: body.slice(0, body.length / 2) } }));
    const { states } = poll(`${server.origin}/`);
    const state = await untilState(states, (candidate) => candidate.status === 'reconnecting');
    expect(state).toMatchObject({ reason: expect.stringContaining("/api/3/fs answered something that is not JSON (a broken or cut-short body), not Glances' figures.") });
  });

  it('fails the poll naming the expected shape when a plugin answers JSON of another shape', async () => {
    const server = await standIn(recordedV3({ '/api/3/network': { body: '{"eth0":{}}' } }));
    const { states } = poll(`${server.origin}/`);
    const state = await untilState(states, (candidate) => candidate.status === 'reconnecting');
    expect(state).toMatchObject({ reason: expect.stringContaining("/api/3/network answered JSON that is not Glances' network plugin (expected a list of interfaces).") });
  });

  it('says so when neither API version answers, or the plugin list is not Glances', async () => {
    const empty = await standIn(new Map());
    const { states } = poll(`${empty.origin}/`);
    expect(await untilState(states, (candidate) => candidate.status === 'reconnecting')).toMatchObject({
      reason: expect.stringContaining("Neither /api/4/pluginslist nor /api/3/pluginslist answered: is this Glances' web server (glances -w)?"),
    });
    const impostor = await standIn(new Map([['/api/4/pluginslist', { body: '["alpha","beta"]' }]]));
    const other = poll(`${impostor.origin}/`);
    expect(await untilState(other.states, (candidate) => candidate.status === 'reconnecting')).toMatchObject({
      reason: expect.stringContaining("/api/4/pluginslist answered JSON that is not Glances' plugin list: is this Glances' port?"),
    });
  });

  it('stops on 401, as a Glances started with --password answers without credentials', async () => {
    const server = await standIn(new Map([['/api/4/pluginslist', { status: 401, contentType: 'text/html', body: 'Access denied' }]]));
    const { states } = poll(`${server.origin}/`);
    expect(await untilState(states, (candidate) => candidate.status === 'auth-required')).toMatchObject({ reason: expect.stringContaining('401') });
  });
});
