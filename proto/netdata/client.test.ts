import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { HttpStatusError, type HttpAnswer, type PollContext } from '../http-source';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { pollSource } from '../../test-support/poll-harness';
import { startNetdata } from '../../test-support/real-servers/netdata';
import { recordSink } from '../../test-support/sink-recorder';
import { ALLMETRICS_PATH } from './charts';
import { apiBase, INFO_PATH, netdataClient } from './client';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (body: string): HttpAnswer => ({ status: 200, contentType: 'application/json', body });
const html = (body: string): HttpAnswer => ({ status: 200, contentType: 'text/html', body });

const cleanups = cleanupAfterEach();

/** A PollContext answering from a table of paths, recording what was asked. */
function fakeContext(answers: Record<string, HttpAnswer>, contextPath = '/') {
  const asked: string[] = [];
  const sink = recordSink();
  const context: PollContext = {
    async get(pathAndQuery) {
      asked.push(pathAndQuery);
      const answer = answers[pathAndQuery];
      if (!answer) throw new HttpStatusError(404, pathAndQuery.split('?')[0]!);
      return answer;
    },
    sink,
    fail: () => {},
    hostLabel: 'nas.lan:19999',
    path: contextPath,
    params: new URLSearchParams(),
    now: () => 1_796_504_731_500,
  };
  return { context, asked, sink };
}

async function httpGet(url: string): Promise<HttpAnswer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: await response.text() };
}

function meminfoBytes(field: string): number {
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))?.[1];
  return Number(kib) * 1024;
}

describe('netdata fingerprint', () => {
  it('recognizes the real Netdata 1.37.1 info answer, naming its version', () => {
    expect(netdataClient.fingerprint(INFO_PATH, json(fixture('netdata-1.37.1-info.json')))).toBe('Netdata v1.37.1 /api/v1/info');
  });

  it("rejects what node_exporter, Glances and Prometheus answer at Netdata's path, and Netdata's own other answers", () => {
    for (const other of ['other-node-exporter-1.5-api-v1-info-200.txt', 'other-glances-3.3.1.1-api-v1-info-404.txt', 'other-prometheus-2.42-api-v1-info-404.txt']) {
      expect(netdataClient.fingerprint(INFO_PATH, html(fixture(other))), other).toBeNull();
    }
    expect(netdataClient.fingerprint(INFO_PATH, html(fixture('netdata-1.37.1-dashboard-start.html')))).toBeNull();
    expect(netdataClient.fingerprint(INFO_PATH, json(fixture('netdata-1.37.1-allmetrics.json')))).toBeNull();
  });

  it('needs the v-version together with mirrored_hosts and a Netdata-only key', () => {
    const info = JSON.parse(fixture('netdata-1.37.1-info.json')) as Record<string, unknown>;
    const without = (...keys: string[]) => json(JSON.stringify(Object.fromEntries(Object.entries(info).filter(([key]) => !keys.includes(key)))));
    expect(netdataClient.fingerprint(INFO_PATH, without('mirrored_hosts'))).toBeNull();
    expect(netdataClient.fingerprint(INFO_PATH, without('cores_total', 'mirrored_hosts_status'))).toBeNull();
    expect(netdataClient.fingerprint(INFO_PATH, json(JSON.stringify({ ...info, version: '1.37.1' })))).toBeNull();
    expect(netdataClient.fingerprint(INFO_PATH, json('{"version":"v1.37.1","mirrored_hosts":["x"],"cores_total":"2"'))).toBeNull();
  });
});

describe('netdata session', () => {
  const answers = { [INFO_PATH]: json(fixture('netdata-1.37.1-info.json')), [ALLMETRICS_PATH]: json(fixture('netdata-1.37.1-allmetrics.json')) };

  it('reads the info once for the host, then one filtered allmetrics per poll', async () => {
    const { context, asked, sink } = fakeContext(answers);
    const session = netdataClient.open(context);
    await session.poll();
    await session.poll();
    expect(asked).toEqual([INFO_PATH, ALLMETRICS_PATH, ALLMETRICS_PATH]);
    expect([...sink.hosts.values()]).toEqual([
      {
        id: 'nas.lan:19999',
        hostname: 'vm',
        serverStatus: 'Netdata v1.37.1',
        // Inside a container the host OS is "unknown" to Netdata and the container's OS is what runs.
        os: { name: 'Debian GNU/Linux', version: '12 (bookworm)', kernel: '6.18.44-fc-v1272', arch: 'x86_64' },
        memoryTotalBytes: 25_276_157_952,
        cpu: { cores: 2 },
      },
    ]);
    expect(sink.samples.map(({ hostId, sample }) => [hostId, sample.timeMs, sample.memory?.totalBytes])).toEqual([
      ['nas.lan:19999', 1_796_504_731_500, 25_276_157_952],
      ['nas.lan:19999', 1_796_504_731_500, 25_276_157_952],
    ]);
  });

  it('asks for only the charts it decodes', () => {
    const filter = new URLSearchParams(ALLMETRICS_PATH.split('?')[1]!).get('filter');
    expect(filter).toBe('!cpu.cpu*_* cpu.cpu* system.cpu system.ram system.load system.uptime system.net mem.available mem.swap disk_space.* net.* sensors* nvidia_smi*');
  });

  it("reads a Netdata behind a reverse proxy's prefix under that prefix", async () => {
    const prefixed = { [`/netdata${INFO_PATH}`]: answers[INFO_PATH]!, [`/netdata${ALLMETRICS_PATH}`]: answers[ALLMETRICS_PATH]! };
    const { context, sink } = fakeContext(prefixed, '/netdata/');
    await netdataClient.open(context).poll();
    expect(sink.samples).toHaveLength(1);
    expect(apiBase('/')).toBe('');
    expect(apiBase('/netdata/index.html')).toBe('/netdata');
    expect(apiBase('/netdata/api/v1/info')).toBe('/netdata');
  });

  it('sends no sample for the empty answer of Netdata\'s first second, and no error', async () => {
    const { context, sink } = fakeContext({ ...answers, [ALLMETRICS_PATH]: json(fixture('netdata-1.37.1-allmetrics-first-second.json')) });
    await netdataClient.open(context).poll();
    expect(sink.hosts.size).toBe(1);
    expect(sink.samples).toEqual([]);
  });

  it("fails a poll with words a user understands when the port answers HTML (node_exporter's page)", async () => {
    const { context, sink } = fakeContext({ [INFO_PATH]: html(fixture('other-node-exporter-1.5-api-v1-info-200.txt')) });
    await expect(netdataClient.open(context).poll()).rejects.toThrow("/api/v1/info answered with an HTML page, not Netdata's JSON: is this Netdata's port?");
    expect(sink.hosts.size).toBe(0);
  });

  it('fails a poll when allmetrics is cut short, and reads the info no second time', async () => {
    const full = fixture('netdata-1.37.1-allmetrics.json');
    const { context, asked } = fakeContext({ ...answers, [ALLMETRICS_PATH]: json(full.slice(0, 1000)) });
    const session = netdataClient.open(context);
    await expect(session.poll()).rejects.toThrow("/api/v1/allmetrics answered with something that is not JSON (cut short?), not Netdata's allmetrics.");
    await expect(session.poll()).rejects.toThrow(Error);
    expect(asked.filter((pathAsked) => pathAsked === INFO_PATH)).toHaveLength(1);
  });

  it('fails a poll when the info is JSON of another server', async () => {
    const { context } = fakeContext({ [INFO_PATH]: json('{"status":"success","data":{"version":"2.42.0"}}') });
    await expect(netdataClient.open(context).poll()).rejects.toThrow("answered with something that is not Netdata's info JSON");
  });
});

describe('netdata against the real Netdata', () => {
  it("reads Debian's Netdata: this machine's hostname, kernel, memory, CPU, load, disks and uptime", async () => {
    const server = await startNetdata();
    cleanups.push(() => server.stop());

    const info = await httpGet(`${server.origin}${INFO_PATH}`);
    expect(netdataClient.fingerprint(INFO_PATH, info)).toBe('Netdata v1.37.1 /api/v1/info');

    const polled = pollSource(netdataClient, server.origin);
    cleanups.push(() => polled.stop());
    const { sink } = polled;
    const complete = () => sink.samples.find(({ sample }) => sample.cpu?.load && sample.memory && sample.disks && sample.uptimeSec !== undefined);
    await sink.until(() => complete() !== undefined, 20_000, 'a sample with CPU, load, memory, disks and uptime');

    // Netdata applies the filter: every chart it sends is one the decoder reads.
    const filtered = await httpGet(`${server.origin}${ALLMETRICS_PATH}`);
    const sent = Object.keys(JSON.parse(filtered.body) as object);
    expect(sent).toContain('system.cpu');
    expect(sent.filter((id) => !/^(?:cpu\.cpu\d+|system\.(?:cpu|ram|load|uptime|net)|mem\.(?:available|swap)|disk_space\..+|net\..+)$/.test(id))).toEqual([]);

    const hostLabel = new URL(server.origin).host;
    const host = sink.hosts.get(hostLabel)!;
    expect(host.hostname).toBe(os.hostname());
    expect(host.os?.kernel).toBe(os.release());
    expect(host.os?.arch).toBe(os.machine());
    expect(host.memoryTotalBytes).toBe(meminfoBytes('MemTotal'));

    const { sample } = complete()!;
    const cpu = sample.cpu!;
    expect(cpu.totalPercent).toBeGreaterThanOrEqual(0);
    expect(cpu.totalPercent).toBeLessThanOrEqual(100);
    expect(cpu.perCorePercent).toHaveLength(os.cpus().length);
    expect(cpu.load).toHaveLength(3);
    for (const load of cpu.load!) expect(load).toBeGreaterThanOrEqual(0);

    const memTotal = meminfoBytes('MemTotal');
    expect(Math.abs(sample.memory!.totalBytes! - memTotal) / memTotal).toBeLessThan(0.02);
    expect(sample.memory!.usedBytes).toBeGreaterThan(0);
    expect(sample.memory!.usedBytes).toBeLessThan(memTotal);

    const root = sample.disks!.find((disk) => disk.mountPoint === '/')!;
    const statfs = statfsSync('/');
    expect(Math.abs(root.totalBytes! - statfs.blocks * statfs.bsize) / (statfs.blocks * statfs.bsize)).toBeLessThan(0.01);

    const uptimeSec = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Math.abs(sample.uptimeSec! - uptimeSec)).toBeLessThan(30);
    expect(Math.abs(sample.timeMs - Date.now())).toBeLessThan(30_000);
    expect(polled.states.at(-1)?.status).toBe('connected');
  }, 40_000);
});
