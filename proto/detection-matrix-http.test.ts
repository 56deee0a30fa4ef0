// The polled sources' side of the cross-detection matrix, against the real Debian servers and our agent's
// /metrics: each is found alone on its port, by host:port and by URL; each fingerprint accepts its own
// server's answers and no other's; the WebSocket protocols are still found exactly with HTTP detection on;
// and a bare host finds all nine kinds on their default ports.

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLL_CLIENTS } from './clients';
import { detect } from './detect';
import type { PollClient } from './http-source';
import { POLLED_SOURCE_IDS, type PolledSourceId } from './protocols';
import { parseTarget } from './target';
import { nodeHttpGet } from '../test-support/poll-harness';
import { startGlances } from '../test-support/real-servers/glances';
import { startNetdata } from '../test-support/real-servers/netdata';
import { startNodeExporter } from '../test-support/real-servers/node-exporter';
import { startPrometheus } from '../test-support/real-servers/prometheus';
import type { RealServer } from '../test-support/real-servers/daemon';
import { startTestAgent, type TestAgent } from '../test-support/test-agent';

const httpGet = nodeHttpGet;

interface Server {
  id: PolledSourceId;
  what: string;
  port: number;
  /** Where detection says it is read. */
  endpointPath: string;
}

describe('the polled sources against their real servers', () => {
  const started: RealServer[] = [];
  let agent: TestAgent;
  let servers: Server[];
  let behindPrefix: RealServer;

  beforeAll(async () => {
    const [nodeExporter, glances, netdata, testAgent] = await Promise.all([startNodeExporter(), startGlances(), startNetdata(), startTestAgent([], { fakeGpus: true })]);
    agent = testAgent;
    started.push(nodeExporter, glances, netdata);
    const jobs = [{ name: 'node', targets: [`127.0.0.1:${nodeExporter.port}`] }];
    const [prometheus, prefixed] = await Promise.all([startPrometheus({ scrapeIntervalSeconds: 1, jobs }), startPrometheus({ scrapeIntervalSeconds: 1, jobs, routePrefix: '/prometheus' })]);
    behindPrefix = prefixed;
    started.push(prometheus, prefixed);
    servers = [
      { id: 'node-exporter', what: 'node_exporter 1.5', port: nodeExporter.port, endpointPath: '/metrics' },
      { id: 'node-exporter', what: "our agent's /metrics", port: agent.endpoint('metrics').port, endpointPath: '/metrics' },
      { id: 'prometheus', what: 'Prometheus 2.42', port: prometheus.port, endpointPath: '/' },
      { id: 'glances', what: 'Glances 3.3', port: glances.port, endpointPath: '/' },
      { id: 'netdata', what: 'Netdata 1.37', port: netdata.port, endpointPath: '/' },
    ];
  }, 60_000);
  afterAll(async () => {
    await Promise.all([...started.map((server) => server.stop()), agent?.close()]);
  });

  it('finds each alone on its port, by host:port and by URL, and reads it at the path it serves', async () => {
    for (const server of servers) {
      for (const input of [`127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port}/`]) {
        const report = await detect(input, { WebSocket, httpGet });
        expect(report.found.map((found) => found.protocol), `${server.what} as ${input}: ${JSON.stringify(report.attempts)}`).toEqual([server.id]);
        expect(report.found[0]!.endpoint.url).toBe(`http://127.0.0.1:${server.port}${server.endpointPath}`);
      }
    }
  });

  it('reads a path the URL gives: a Prometheus behind a route prefix, with basic auth and a job filter kept for its polls', async () => {
    const report = await detect(`http://grafana:pw@127.0.0.1:${behindPrefix.port}/prometheus/?job=node`, { WebSocket, httpGet });
    expect(report.found.map((found) => [found.protocol, found.endpoint.url])).toEqual([['prometheus', `http://grafana:pw@127.0.0.1:${behindPrefix.port}/prometheus/?job=node`]]);
    const metrics = await detect(`http://127.0.0.1:${servers[0]!.port}/metrics`, { WebSocket, httpGet });
    expect(metrics.found.map((found) => [found.protocol, found.endpoint.url])).toEqual([['node-exporter', `http://127.0.0.1:${servers[0]!.port}/metrics`]]);
    expect((await detect(`http://127.0.0.1:${behindPrefix.port}/`, { WebSocket, httpGet })).found).toEqual([]);
  });

  it("accepts each server's answers only in its own source's fingerprint", async () => {
    const clients = Object.values(POLL_CLIENTS) as PollClient[];
    const ourOtherHttp = [agent.endpoint('servercontrol', 'api').port, agent.endpoint('sysmedic').port, agent.endpoint('vstats').port];
    const everyServer = [...servers, ...ourOtherHttp.map((port) => ({ id: undefined, what: `our agent's port ${port}`, port }))];
    for (const server of everyServer) {
      for (const client of clients) {
        for (const path of client.fingerprintPaths) {
          const answer = await httpGet(`http://127.0.0.1:${server.port}${path}`, { timeoutMs: 5000, maxBytes: 16 * 1024 * 1024 });
          const evidence = answer.status >= 200 && answer.status < 300 ? client.fingerprint(path, answer) : null;
          if (server.id === client.id) continue;
          expect(evidence, `${client.id} took ${server.what}'s answer at ${path}`).toBeNull();
        }
      }
    }
  });

  it('still finds each WebSocket protocol of our agent exactly, with HTTP detection on', async () => {
    for (const endpoint of agent.connect) {
      const report = await detect(parseTarget(endpoint.url), { WebSocket, httpGet });
      expect(report.found.map((found) => found.protocol), endpoint.url).toEqual([endpoint.protocol]);
    }
  });
});

describe('a bare host', () => {
  it('finds all nine kinds on their default ports, each credential going only where it belongs', async () => {
    // 127.0.0.3 is loopback too on Linux, so every default port is free there whatever else runs.
    const at = (port: number) => ({ host: '127.0.0.3', port });
    const started: RealServer[] = [];
    let agent: TestAgent | undefined;
    try {
      const [nodeExporter, glances, netdata, testAgent] = await Promise.all([
        startNodeExporter(at(9100)),
        startGlances(at(61208)),
        startNetdata(at(19999)),
        startTestAgent([
          ...['--host', '127.0.0.3', '--gpu-usage-port', '33931', '--servercontrol-port', '8082', '--socktop-port', '3000', '--vstats-port', '3001'],
          ...['--sysmedic-port', '8060', '--metrics-port', '9464', '--sysmedic-secret', 'bare-secret'],
        ]),
      ]);
      started.push(nodeExporter, glances, netdata);
      agent = testAgent;
      started.push(await startPrometheus({ scrapeIntervalSeconds: 1, jobs: [{ name: 'node', targets: ['127.0.0.3:9100'] }] }, at(9090)));

      const report = await detect('127.0.0.3?secret=bare-secret', { WebSocket, httpGet });
      const found = Object.fromEntries(report.found.map((detection) => [detection.endpoint.url, detection.protocol]));
      expect(found).toEqual({
        'ws://127.0.0.3:8060/ws?secret=bare-secret': 'sysmedic',
        'ws://127.0.0.3:3001/ws': 'vstats',
        'ws://127.0.0.3:33931/usage': 'gpu-usage',
        'ws://127.0.0.3:8082/': 'servercontrol',
        'ws://127.0.0.3:3000/ws': 'socktop',
        'http://127.0.0.3:9090/': 'prometheus',
        'http://127.0.0.3:61208/': 'glances',
        'http://127.0.0.3:19999/': 'netdata',
        'http://127.0.0.3:9100/metrics': 'node-exporter',
        'http://127.0.0.3:9464/metrics': 'node-exporter',
      });
      expect(new Set(report.found.map((detection) => detection.protocol)).size).toBe(9);
      expect(POLLED_SOURCE_IDS.every((id) => report.found.some((detection) => detection.protocol === id))).toBe(true);
    } finally {
      await Promise.all([...started.map((server) => server.stop()), agent?.close()]);
    }
  }, 90_000);
});
