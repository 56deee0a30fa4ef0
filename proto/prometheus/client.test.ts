import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordSink, type RecordedSink } from '../../test-support/sink-recorder';
import { HttpStatusError, type HttpAnswer, type PollContext } from '../http-source';
import { BUILD_INFO_PATH, prometheusClient } from './client';
import { prometheusProtocol } from './descriptor';
import { fleetQuery, PART_LABEL } from './promql';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const NODE_EXPORTER = '127.0.0.1:40589';
const AGENT = '127.0.0.1:37909';

const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');
const json = (body: string): HttpAnswer => ({ status: 200, contentType: 'application/json', body });

/** The recorded fleet answer without the series of `instance`, as when its target leaves the config. */
function withoutInstance(body: string, instance: string): string {
  const parsed = JSON.parse(body) as { data: { result: { metric: Record<string, string> }[] } };
  parsed.data.result = parsed.data.result.filter(({ metric }) => metric.instance !== instance);
  return JSON.stringify(parsed);
}

/** A session over answers given in turn, as PollConnection would run it; records every path asked. */
function session(answers: (HttpAnswer | Error)[], url = 'http://prometheus.test:9090/') {
  const sink = recordSink();
  const hostCalls: string[] = [];
  const recorded: RecordedSink = { ...sink, host: (info) => (hostCalls.push(info.id), sink.host(info)) };
  const asked: string[] = [];
  const parsed = new URL(url);
  const context: PollContext = {
    get: async (pathAndQuery) => {
      asked.push(pathAndQuery);
      const next = answers.shift();
      if (!next) throw new Error('no more answers');
      if (next instanceof Error) throw next;
      return next;
    },
    sink: recorded,
    fail: () => {
      throw new Error('a Prometheus session never ends itself');
    },
    hostLabel: parsed.host,
    path: parsed.pathname,
    params: new URLSearchParams(parsed.search.slice(1)),
    now: () => 1_000,
  };
  return { session: prometheusClient.open(context), sink, hostCalls, asked };
}

describe('prometheus client', () => {
  it("names Prometheus by its build info, and nothing else: not node_exporter's page, nor Glances' or Netdata's JSON", () => {
    expect(prometheusClient.fingerprint(BUILD_INFO_PATH, json(fixture('prometheus-2.42.0-buildinfo.json')))).toBe('Prometheus 2.42.0+ds build info');
    const others = [
      { status: 200, contentType: 'text/html', body: fixture('node-exporter-1.5-answer-to-buildinfo.html') },
      { status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', body: fixture('node-exporter-1.5-metrics-head.txt') },
      json(fixture('glances-3.3.1.1-cpu.json')),
      json(fixture('netdata-1.37.1-info.json')),
      json(fixture('prometheus-2.42.0-fleet.json')),
      json(fixture('prometheus-2.42.0-bad-job-regex-http-400.json')),
      json('{"status":"success","data":{"version":""}}'),
      json('{"status":"success","data":{"version":7}}'),
    ];
    for (const answer of others) expect(prometheusClient.fingerprint(BUILD_INFO_PATH, answer)).toBeNull();
    expect(prometheusClient.fingerprint('/metrics', json(fixture('prometheus-2.42.0-buildinfo.json')))).toBeNull();
  });

  it("declares its descriptor's capabilities, one fingerprint path and a 16 MiB body cap", () => {
    expect(prometheusClient.capabilities).toBe(prometheusProtocol.capabilities);
    expect(prometheusClient.capabilities).toContain('multiHost');
    expect(prometheusClient.fingerprintPaths).toEqual(['/api/v1/status/buildinfo']);
    expect(prometheusClient.maxBodyBytes).toBe(16 * 1024 * 1024);
  });

  it('asks one query per poll, under the path prefix the user gave, with the job filter in it', async () => {
    const { session: prefixed, asked } = session([json(fixture('prometheus-2.42.0-fleet.json'))], 'http://proxy.test/prometheus/?job=node|lab');
    await prefixed.poll();
    expect(asked).toEqual([`/prometheus/api/v1/query?query=${encodeURIComponent(fleetQuery('node|lab'))}`]);
    const { session: plain, asked: plainAsked } = session([json(fixture('prometheus-2.42.0-fleet.json'))]);
    await plain.poll();
    expect(plainAsked).toEqual([`/api/v1/query?query=${encodeURIComponent(fleetQuery())}`]);
  });

  it('reports each host once, marks one offline when its scrape fails, and removes it when Prometheus no longer lists it', async () => {
    const fleet = fixture('prometheus-2.42.0-fleet.json');
    const { session: polled, sink, hostCalls } = session([
      json(fleet),
      json(fleet),
      json(fixture('prometheus-2.42.0-fleet-node-exporter-down.json')),
      json(withoutInstance(fleet, NODE_EXPORTER)),
    ]);
    await polled.poll();
    await polled.poll();
    expect(hostCalls).toEqual([AGENT, NODE_EXPORTER]);
    expect(sink.statuses).toEqual([
      { hostId: AGENT, online: true },
      { hostId: NODE_EXPORTER, online: true },
    ]);
    expect(sink.samples.map(({ hostId }) => hostId)).toEqual([AGENT, NODE_EXPORTER, AGENT, NODE_EXPORTER]);

    await polled.poll();
    expect(sink.statuses.at(-1)).toEqual({ hostId: NODE_EXPORTER, online: false });
    // Down, it keeps the memory size only its live series carried, so its info did not change.
    expect(hostCalls).toHaveLength(2);
    expect(sink.hosts.get(NODE_EXPORTER)?.memoryTotalBytes).toBe(25_276_157_952);
    expect(sink.samples.slice(4).map(({ hostId }) => hostId)).toEqual([AGENT]);

    await polled.poll();
    expect(sink.removed).toEqual([NODE_EXPORTER]);
    expect([...sink.hosts.keys()]).toEqual([AGENT]);
  });

  it("says which query Prometheus could not run and why, and lets a refusal of the credentials through as it is", async () => {
    const badRegex = new HttpStatusError(400, '/api/v1/query', fixture('prometheus-2.42.0-bad-job-regex-http-400.json').trim());
    const { session: refused } = session([badRegex], 'http://prometheus.test:9090/?job=(');
    await expect(refused.poll()).rejects.toThrow(
      'Prometheus could not run FleetWatch\'s query for the jobs matching job=~"(" (bad_data): invalid parameter "query": 1:46: parse error: error parsing regexp: missing closing ): `^(?:()$`',
    );
    const unauthorized = new HttpStatusError(401, '/api/v1/query', 'Unauthorized');
    const { session: locked } = session([unauthorized]);
    await expect(locked.poll()).rejects.toBe(unauthorized);
  });

  it('says why it shows no host: no job matches the filter, or no target exports node_exporter series', async () => {
    const empty = json(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    const { session: filtered } = session([empty], 'http://prometheus.test:9090/?job=no"de');
    await expect(filtered.poll()).rejects.toThrow('no scrape job of this Prometheus matches job=~"no\\"de": its Status > Targets page lists the job names');
    const { session: unfiltered } = session([empty]);
    await expect(unfiltered.poll()).rejects.toThrow('this Prometheus scrapes no targets yet');

    const blackbox = json(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { [PART_LABEL]: 'up', instance: 'probe:9115' }, value: [1, '1'] }] } }));
    const { session: others, sink } = session([json(fixture('prometheus-2.42.0-fleet.json')), blackbox], 'http://prometheus.test:9090/?job=blackbox');
    await others.poll();
    await expect(others.poll()).rejects.toThrow('none of the 1 targets Prometheus scrapes in the jobs matching job=~"blackbox" exports node_exporter\'s node_uname_info, which FleetWatch reads hosts from');
    expect(sink.removed).toEqual([AGENT, NODE_EXPORTER]);
  });
});
