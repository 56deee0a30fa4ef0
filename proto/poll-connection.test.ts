import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ConnectionState } from './connection';
import type { PollClient } from './http-source';
import { PollConnection } from './poll-connection';
import { cleanupAfterEach } from '../test-support/cleanups';
import { nodeHttpGet } from '../test-support/poll-harness';
import { recordSink } from '../test-support/sink-recorder';
import { sleep } from '../test-support/ws-recorder';

const cleanups = cleanupAfterEach();

/** A minimal polled source: its path answers a CPU percentage as text. */
const numberClient: PollClient = {
  transport: 'http',
  id: 'node-exporter',
  capabilities: ['cpu'],
  pollIntervalMs: 100,
  maxBodyBytes: 1024,
  fingerprintPaths: ['/'],
  fingerprint: () => null,
  open(context) {
    return {
      async poll() {
        const answer = await context.get(context.path);
        const value = Number(answer.body);
        if (!Number.isFinite(value)) throw new Error(`answered ${JSON.stringify(answer.body.slice(0, 20))}, not a number`);
        context.sink.host({ id: context.hostLabel, hostname: context.hostLabel });
        context.sink.sample(context.hostLabel, { timeMs: context.now(), cpu: { totalPercent: value } });
      },
      dispose() {},
    };
  },
};

interface Seen {
  url: string;
  authorization: string | undefined;
}

async function serve(handler: (request: http.IncomingMessage, response: http.ServerResponse) => void, port = 0) {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
  cleanups.push(close);
  return { port: (server.address() as AddressInfo).port, seen, close };
}

function poll(url: string, client: PollClient = numberClient, requestTimeoutMs?: number) {
  const sink = recordSink();
  const states: ConnectionState[] = [];
  const connection = new PollConnection({
    endpoint: { protocol: client.id, url },
    client,
    httpGet: nodeHttpGet,
    sink,
    onState: (state) => states.push(state),
    backoff: { initialMs: 50, maxMs: 200, jitter: 0 },
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
  });
  cleanups.push(() => connection.stop());
  connection.start();
  return { sink, states, connection };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('PollConnection', () => {
  it('polls every interval, says it is connected, and stops polling when stopped', async () => {
    const server = await serve((_, response) => response.end('42.5'));
    const { sink, states, connection } = poll(`http://127.0.0.1:${server.port}/cpu`);
    await sink.until(() => sink.samples.length >= 3, 5000, 'three samples');
    expect(states.slice(0, 2).map((state) => state.status)).toEqual(['connecting', 'connected']);
    expect(sink.samples[0]!.sample.cpu?.totalPercent).toBe(42.5);
    expect(server.seen.every((request) => request.url === '/cpu')).toBe(true);
    connection.stop();
    const requests = server.seen.length;
    await sleep(350);
    expect(server.seen.length).toBe(requests);
    expect(connection.state.status).toBe('stopped');
  });

  it('sends basic auth and a bearer token as headers, never the token in the request line', async () => {
    const server = await serve((_, response) => response.end('1'));
    const basic = poll(`http://grafana:s%40cret@127.0.0.1:${server.port}/`);
    await basic.sink.until(() => basic.sink.samples.length > 0, 5000, 'a sample with basic auth');
    const bearer = poll(`http://127.0.0.1:${server.port}/m?job=node&token=t0k`);
    await bearer.sink.until(() => bearer.sink.samples.length > 0, 5000, 'a sample with a token');
    expect(server.seen.find((request) => request.url === '/')?.authorization).toBe(`Basic ${Buffer.from('grafana:s@cret').toString('base64')}`);
    expect(server.seen.find((request) => request.url.startsWith('/m'))).toEqual({ url: '/m', authorization: 'Bearer t0k' });
  });

  it('stops at a 401 as auth-required, and polls again when started again', async () => {
    let allowed = false;
    const server = await serve((_, response) => {
      response.statusCode = allowed ? 200 : 401;
      response.end(allowed ? '7' : 'Unauthorized');
    });
    const { sink, states, connection } = poll(`http://127.0.0.1:${server.port}/`);
    await until(() => connection.state.status === 'auth-required', 'auth-required');
    expect(states.at(-1)).toMatchObject({ reason: expect.stringContaining('HTTP 401') });
    const requests = server.seen.length;
    await sleep(300);
    expect(server.seen.length).toBe(requests);
    allowed = true;
    connection.start();
    await sink.until(() => sink.samples.length > 0, 5000, 'a sample after the credentials were fixed');
  });

  it('backs off while nothing listens, says why, and reads the server once it is back', async () => {
    const first = await serve((_, response) => response.end('3'));
    const { port } = first;
    await first.close();
    const { sink, states, connection } = poll(`http://127.0.0.1:${port}/`);
    await until(() => states.filter((state) => state.status === 'reconnecting').length >= 2, 'two retries');
    expect(connection.state).toMatchObject({ status: 'reconnecting', reason: expect.stringContaining('nothing is listening') });
    await serve((_, response) => response.end('3'), port);
    await sink.until(() => sink.samples.length > 0, 5000, 'a sample once the server is back');
    expect(connection.state.status).toBe('connected');
  });

  it('gives up on a body over the cap and on a server that never finishes, while another source keeps sampling', async () => {
    const huge = await serve((_, response) => response.end('9'.repeat(4096)));
    const slow = await serve((_, response) => response.write('1'));
    const healthy = await serve((_, response) => response.end('5'));
    const tooBig = poll(`http://127.0.0.1:${huge.port}/`);
    const stalled = poll(`http://127.0.0.1:${slow.port}/`, numberClient, 200);
    const fine = poll(`http://127.0.0.1:${healthy.port}/`);
    await until(() => tooBig.connection.state.status === 'reconnecting' && stalled.connection.state.status === 'reconnecting', 'both failing');
    expect(tooBig.connection.state).toMatchObject({ reason: expect.stringContaining('over the 0.00 MB this source accepts') });
    expect(stalled.connection.state).toMatchObject({ reason: expect.stringContaining('within 200 ms') });
    await fine.sink.until(() => fine.sink.samples.length >= 5, 5000, 'five samples from the healthy source');
    expect(tooBig.sink.samples).toEqual([]);
  });

  it('hands nothing on from a poll still in flight when it was stopped', async () => {
    let answerLater: (() => void) | undefined;
    const server = await serve((_, response) => {
      answerLater = () => response.end('12');
    });
    const { sink, connection } = poll(`http://127.0.0.1:${server.port}/`);
    await until(() => answerLater !== undefined, 'the request');
    connection.stop();
    answerLater!();
    await sleep(200);
    expect(sink.samples).toEqual([]);
    expect(connection.state.status).toBe('stopped');
  });

  it("reports a session's own error (an answer it cannot read) and keeps trying, never calling a 200 page of HTML connected", async () => {
    const server = await serve((_, response) => response.end('<html>login</html>'));
    const { connection, sink, states } = poll(`http://127.0.0.1:${server.port}/`);
    await until(() => connection.state.status === 'reconnecting', 'a failed poll');
    await until(() => server.seen.length >= 3, 'more tries');
    expect(states.map((state) => state.status)).not.toContain('connected');
    expect(connection.state).toMatchObject({ reason: expect.stringContaining('not a number') });
    expect(sink.samples).toEqual([]);
  });
});
