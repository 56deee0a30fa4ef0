// HTTP detection on stand-ins for what the real servers cannot be made to do here: a node_exporter behind a
// reverse proxy's prefix, and a server behind basic auth refusing the password given.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { detect } from './detect';
import { cleanupAfterEach } from '../test-support/cleanups';
import { nodeHttpGet, pollSource } from '../test-support/poll-harness';
import { nodeExporterClient } from './node-exporter/client';

const cleanups = cleanupAfterEach();
const SCRAPE = readFileSync(path.join(import.meta.dirname, 'node-exporter/fixtures/node-exporter-1.5.0-scrape-1.txt'), 'utf8');

async function serve(handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return (server.address() as AddressInfo).port;
}

describe('HTTP detection', () => {
  it('finds a node_exporter under a path prefix and reads it at the prefixed /metrics', async () => {
    const port = await serve((request, response) => {
      if (request.url === '/node/metrics') return response.end(SCRAPE);
      response.statusCode = 404;
      response.end('not here');
    });
    const report = await detect(`http://127.0.0.1:${port}/node/`, { WebSocket, httpGet: nodeHttpGet });
    expect(report.found.map((found) => [found.protocol, found.endpoint.url])).toEqual([['node-exporter', `http://127.0.0.1:${port}/node/metrics`]]);
    const polled = pollSource(nodeExporterClient, report.found[0]!.endpoint.url);
    cleanups.push(() => polled.stop());
    await polled.sink.until(() => polled.sink.samples.length > 0, 5000, 'a sample read at the prefixed path');
  });

  it('says the credentials given were refused when a server behind basic auth answers 401, and that it needs them when none were given', async () => {
    const port = await serve((_, response) => {
      response.statusCode = 401;
      response.setHeader('www-authenticate', 'Basic realm="metrics"');
      response.end('Unauthorized');
    });
    const wrong = await detect(`http://grafana:wrong@127.0.0.1:${port}/`, { WebSocket, httpGet: nodeHttpGet });
    expect(wrong.attempts[0]).toMatchObject({ outcome: 'auth-required', detail: expect.stringMatching(/^The credentials given were refused/) });
    expect(JSON.stringify(wrong.attempts)).not.toContain('wrong');
    const none = await detect(`127.0.0.1:${port}`, { WebSocket, httpGet: nodeHttpGet });
    expect(none.attempts[0]).toMatchObject({ outcome: 'auth-required' });
  });
});

describe('the hub\'s HttpGet', () => {
  it('rejects a malformed URL without throwing and without repeating its credentials, and names where a redirect points', async () => {
    await expect(nodeHttpGet('http://a%zz:pw-secret@127.0.0.1:1/', { timeoutMs: 1000, maxBytes: 1024 })).rejects.toThrow(/^"http:\/\/•••@127\.0\.0\.1:1\/" is not a URL/);
    const port = await serve((_, response) => {
      response.statusCode = 302;
      response.setHeader('location', 'http://elsewhere.example/login');
      response.end();
    });
    expect(await nodeHttpGet(`http://u:p@127.0.0.1:${port}/`, { timeoutMs: 1000, maxBytes: 1024 })).toMatchObject({ status: 302, body: 'redirected to http://elsewhere.example/login' });
  });
});
