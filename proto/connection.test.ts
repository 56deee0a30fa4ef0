import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { ProtocolClient, SessionContext } from './client';
import { backoffDelayMs, Connection, DEFAULT_BACKOFF, MAX_OUTBOUND_BUFFER_BYTES, type ConnectionState } from './connection';
import { startFixtureServer } from '../test-support/fixture-server';
import { recordSink } from '../test-support/sink-recorder';
import { sleep } from '../test-support/ws-recorder';
import { startBlackHole } from '../test-support/black-hole';
import { cleanupAfterEach } from '../test-support/cleanups';

const cleanups = cleanupAfterEach();

/** A minimal protocol: every text frame is a CPU percentage. */
function echoClient(onOpen?: (context: SessionContext) => void): ProtocolClient {
  return {
    id: 'servercontrol',
    capabilities: ['cpu'],
    probe: null,
    fingerprint: () => null,
    open(context) {
      onOpen?.(context);
      context.sink.host({ id: context.hostLabel, hostname: context.hostLabel });
      return {
        onMessage(data) {
          if (typeof data === 'string') context.sink.sample(context.hostLabel, { timeMs: Date.now(), cpu: { totalPercent: Number(data) } });
        },
        dispose() {},
      };
    },
  };
}

function track(connection: Connection, states: ConnectionState[]) {
  cleanups.push(() => connection.stop());
  connection.start();
  return states;
}

describe('backoff', () => {
  it('starts near 1 s, doubles, and never exceeds 30 s whatever the jitter', () => {
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, () => 0.5)).toBe(1000);
    expect(backoffDelayMs(2, DEFAULT_BACKOFF, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(5, DEFAULT_BACKOFF, () => 0.5)).toBe(16_000);
    for (let attempt = 1; attempt < 40; attempt++) {
      for (const random of [0, 0.5, 0.999]) {
        const delay = backoffDelayMs(attempt, DEFAULT_BACKOFF, () => random);
        expect(delay).toBeLessThanOrEqual(30_000);
        expect(delay).toBeGreaterThanOrEqual(800);
      }
    }
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, () => 0)).toBe(800);
    expect(backoffDelayMs(1, DEFAULT_BACKOFF, () => 0.999)).toBeCloseTo(1200, -1);
  });
});

describe('Connection', () => {
  it('reports auth-required with a reason when the upgrade is refused with 401, and does not retry', async () => {
    const server = await startFixtureServer({ rejectUpgrade: () => 401, onConnection: () => {} });
    cleanups.push(() => server.close());
    const states: ConnectionState[] = [];
    const connection = new Connection({ endpoint: { protocol: 'sysmedic', url: server.url('/ws', '?secret=wrong') }, client: echoClient(), WebSocket, sink: recordSink(), onState: (state) => states.push(state) });
    track(connection, states);
    await sleep(1500);
    expect(states.map((state) => state.status)).toEqual(['connecting', 'auth-required']);
    expect(connection.state).toMatchObject({ status: 'auth-required', reason: expect.stringContaining('401') });
  });

  it('reconnects with backoff after the server goes away and resets the backoff once connected again', async () => {
    let server = await startFixtureServer({ onConnection: (socket) => socket.send('42') });
    const port = server.port;
    const sink = recordSink();
    const states: ConnectionState[] = [];
    const connection = new Connection({
      endpoint: { protocol: 'servercontrol', url: server.url('/') },
      client: echoClient(),
      WebSocket,
      sink,
      onState: (state) => states.push(state),
      backoff: { initialMs: 100, maxMs: 400, jitter: 0 },
    });
    track(connection, states);
    await sink.until(() => sink.samples.length === 1, 3000, 'first sample');
    await server.close();
    await sleep(800);
    const retries = states.filter((state) => state.status === 'reconnecting') as Extract<ConnectionState, { status: 'reconnecting' }>[];
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries.map((state) => state.retryInMs).slice(0, 3)).toEqual([100, 200, 400]);
    expect(retries.every((state) => state.reason.length > 0)).toBe(true);

    server = await startFixtureServer({ port, onConnection: (socket) => socket.send('43') });
    cleanups.push(() => server.close());
    await sink.until(() => sink.samples.length === 2, 3000, 'a sample after the restart');
    expect(connection.state.status).toBe('connected');

    states.length = 0;
    await server.close();
    await sleep(50);
    expect(states.find((state) => state.status === 'reconnecting')).toMatchObject({ retryInMs: 100 });
  });

  it('keeps backing off from a server that accepts and closes at once without a frame', async () => {
    const server = await startFixtureServer({ onConnection: (socket) => socket.close() });
    cleanups.push(() => server.close());
    const states: ConnectionState[] = [];
    const connection = new Connection({ endpoint: { protocol: 'servercontrol', url: server.url('/') }, client: echoClient(), WebSocket, sink: recordSink(), onState: (state) => states.push(state), backoff: { initialMs: 50, maxMs: 400, jitter: 0 } });
    track(connection, states);
    await expect.poll(() => states.filter((state) => state.status === 'reconnecting').length, { timeout: 3000 }).toBeGreaterThanOrEqual(4);
    const retries = states.filter((state) => state.status === 'reconnecting') as Extract<ConnectionState, { status: 'reconnecting' }>[];
    expect(retries.map((state) => state.retryInMs).slice(0, 4)).toEqual([50, 100, 200, 400]);
    expect(states.some((state) => state.status === 'connected')).toBe(true);
  });

  it('drops outbound frames instead of buffering them when the socket is backed up', async () => {
    const server = await startFixtureServer({ onConnection: (socket) => socket.pause() });
    cleanups.push(() => server.close());
    let context: SessionContext | undefined;
    const connection = new Connection({ endpoint: { protocol: 'servercontrol', url: server.url('/') }, client: echoClient((c) => (context = c)), WebSocket, sink: recordSink() });
    track(connection, []);
    const started = Date.now();
    while (!context && Date.now() - started < 3000) await sleep(10);
    const chunk = 'x'.repeat(64 * 1024);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      if (context!.send(chunk)) accepted += 1;
      else refused += 1;
    }
    expect(refused).toBeGreaterThan(0);
    expect(accepted * chunk.length).toBeLessThan(MAX_OUTBOUND_BUFFER_BYTES + 64 * 1024 * 64);
  });

  it('can be stopped while its socket is still connecting, without an unhandled error from ws', async () => {
    const blackHole = await startBlackHole();
    cleanups.push(() => blackHole.close());
    const { port } = blackHole;
    const states: ConnectionState[] = [];
    const connection = new Connection({ endpoint: { protocol: 'servercontrol', url: `ws://127.0.0.1:${port}/` }, client: echoClient(), WebSocket, sink: recordSink(), onState: (state) => states.push(state) });
    connection.start();
    await expect.poll(() => blackHole.accepted).toBe(1);
    connection.stop();
    await sleep(100);
    expect(states.map((state) => state.status)).toEqual(['connecting', 'stopped']);
  });

  it('gives up on a socket that never opens and tries again', async () => {
    const blackHole = await startBlackHole();
    cleanups.push(() => blackHole.close());
    const states: ConnectionState[] = [];
    const connection = new Connection({ endpoint: { protocol: 'servercontrol', url: `ws://127.0.0.1:${blackHole.port}/` }, client: echoClient(), WebSocket, sink: recordSink(), onState: (state) => states.push(state), connectTimeoutMs: 300 });
    track(connection, states);
    await expect.poll(() => states.find((state) => state.status === 'reconnecting'), { timeout: 3000 }).toMatchObject({ reason: 'No answer within 300 ms.' });
    await expect.poll(() => blackHole.accepted, { timeout: 5000 }).toBe(2);
  });

  it('reopens a stream that goes silent past its protocol\'s limit, and keeps one that does not', async () => {
    // The first connection gets one frame and then nothing, as from a peer that lost power; later ones stream.
    const server = await startFixtureServer({
      onConnection(socket) {
        socket.send('10');
        if (server.connections === 1) return;
        const timer = setInterval(() => socket.send('20'), 100);
        socket.on('close', () => clearInterval(timer));
      },
    });
    cleanups.push(() => server.close());
    const states: ConnectionState[] = [];
    const sink = recordSink();
    const client = { ...echoClient(), silenceLimitMs: 600 };
    const connection = new Connection({ endpoint: { protocol: 'servercontrol', url: server.url('/') }, client, WebSocket, sink, onState: (state) => states.push(state), backoff: { initialMs: 50, maxMs: 50, jitter: 0 } });
    track(connection, states);
    await expect.poll(() => states.find((state) => state.status === 'reconnecting'), { timeout: 3000 }).toMatchObject({ reason: expect.stringMatching(/^Nothing received for \d+ ms; the server or the network may be down\.$/) });
    await expect.poll(() => connection.state.status, { timeout: 3000 }).toBe('connected');
    await sleep(1500);
    expect(connection.state.status).toBe('connected');
    expect(server.connections).toBe(2);
    expect(sink.samples.at(-1)?.sample.cpu?.totalPercent).toBe(20);
  });

  it('stops retrying and says why when the URL cannot be opened at all', () => {
    const states: ConnectionState[] = [];
    const connection = new Connection({ endpoint: { protocol: 'servercontrol', url: 'not a url' }, client: echoClient(), WebSocket, sink: recordSink(), onState: (state) => states.push(state) });
    track(connection, states);
    expect(connection.state).toMatchObject({ status: 'failed', reason: expect.stringContaining('Cannot open') });
  });

});
