import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { detect } from './detect';
import { type FixtureServer, type FixtureOptions } from '../test-support/fixture-server';
import { startTestAgent } from '../test-support/test-agent';
import { serveFixture } from '../test-support/client-harness';
import { startBlackHole } from '../test-support/black-hole';
import { cleanupAfterEach } from '../test-support/cleanups';
import { sleep } from '../test-support/ws-recorder';

const cleanups = cleanupAfterEach();

function fixture(options: FixtureOptions): Promise<FixtureServer> {
  return serveFixture(cleanups, options);
}

describe('detect', () => {
  it('finds our GPU usage stream on a non-default port and says which fingerprint matched', async () => {
    const agent = await startTestAgent();
    cleanups.push(() => agent.close());
    const port = agent.endpoint('gpu-usage').port;
    const report = await detect(`127.0.0.1:${port}`, { WebSocket });
    expect(report.found).toHaveLength(1);
    expect(report.found[0]).toMatchObject({ protocol: 'gpu-usage', endpoint: { url: `ws://127.0.0.1:${port}/usage` }, evidence: expect.stringContaining('subscribed') });
  });

  it('sends subscribe:usage before any other probe, so a reference server that closes on a wrong first message is still found', async () => {
    const server = await fixture({
      onConnection(socket) {
        socket.once('message', (data) => {
          if (data.toString() !== 'subscribe:usage') return socket.close();
          socket.send('{"status": "subscribed"}');
        });
      },
    });
    const report = await detect(`127.0.0.1:${server.port}`, { WebSocket });
    expect(server.received[0]).toBe('subscribe:usage');
    expect(report.found.map((found) => found.protocol)).toEqual(['gpu-usage']);
  });

  it('reports a silent server as unrecognized after the timeout, and a closed port as unreachable', async () => {
    const silent = await fixture({ onConnection: () => {} });
    const closedPort = await fixture({ onConnection: () => {} });
    await closedPort.close();
    const timings = { listenMs: 50, timeoutMs: 400 };
    const [quiet, refused] = await Promise.all([detect(`127.0.0.1:${silent.port}`, { WebSocket, timings }), detect(`127.0.0.1:${closedPort.port}`, { WebSocket, timings })]);
    expect(quiet.found).toEqual([]);
    expect(quiet.attempts[0]).toMatchObject({ outcome: 'unrecognized', detail: expect.stringContaining('400 ms') });
    expect(refused.attempts[0]).toMatchObject({ outcome: 'unreachable', detail: expect.stringMatching(/^Could not connect: nothing is listening at 127\.0\.0\.1:\d+ \(connection refused\)\./) });
  });

  it('gives up on a port that accepts TCP but never answers the upgrade, without an unhandled error from ws', async () => {
    const blackHole = await startBlackHole();
    cleanups.push(() => blackHole.close());
    const { port } = blackHole;
    const report = await detect(`127.0.0.1:${port}`, { WebSocket, timings: { listenMs: 50, timeoutMs: 300 } });
    expect(report.attempts[0]).toMatchObject({ outcome: 'unreachable', detail: 'No answer within 300 ms.' });
    // ws reports closing a socket that is still connecting as an 'error' on the next tick.
    await sleep(100);
  });

  it('says a credential is needed when the upgrade is refused with 401, naming the likely protocol by port', async () => {
    const server = await fixture({ rejectUpgrade: () => 401, onConnection: () => {} });
    const report = await detect(`127.0.0.1:${server.port}`, { WebSocket });
    expect(report.attempts[0]).toMatchObject({ outcome: 'auth-required', detail: expect.stringContaining('401') });
  });

  it('reports progress for every port as it settles', async () => {
    const server = await fixture({ onConnection: (socket) => socket.once('message', () => socket.send('{"status":"subscribed"}')) });
    const snapshots: string[][] = [];
    await detect(`127.0.0.1:${server.port}`, { WebSocket, onProgress: (attempts) => snapshots.push(attempts.map((attempt) => attempt.outcome)) });
    expect(snapshots[0]).toEqual(['pending']);
    expect(snapshots.at(-1)).toEqual(['detected']);
  });
});
