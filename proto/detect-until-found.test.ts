// Detection that waits for a server, against real loopback servers that start late, refuse credentials,
// or never come: what it reports while looking, when it gives up, and that stop() ends it.

import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { ConnectionState } from './connection';
import type { Detection } from './detect';
import { detectUntilFound, type DetectionRun } from './detect-until-found';
import { startFixtureServer, type FixtureServer } from '../test-support/fixture-server';
import { freePort } from '../test-support/free-port';
import { sleep } from '../test-support/ws-recorder';
import { cleanupAfterEach } from '../test-support/cleanups';

const cleanups = cleanupAfterEach();

/** Answers like a GPU usage stream: `subscribe:usage` gets `{"status": "subscribed"}`. */
async function gpuUsageServer(port: number): Promise<FixtureServer> {
  const server = await startFixtureServer({
    port,
    onConnection: (socket) => socket.once('message', (data) => data.toString() === 'subscribe:usage' && socket.send('{"status": "subscribed"}')),
  });
  cleanups.push(() => server.close());
  return server;
}

function watch(target: string, options: { random?: () => number } = {}): { states: ConnectionState[]; found: Detection[][]; run: DetectionRun } {
  const states: ConnectionState[] = [];
  const found: Detection[][] = [];
  const run = detectUntilFound(target, { WebSocket, onState: (state) => states.push(state), onFound: (detections) => found.push(detections), ...options });
  cleanups.push(() => run.stop());
  return { states, found, run };
}

const retrySeconds = (states: readonly ConnectionState[]): number[] =>
  states.flatMap((state) => {
    const match = state.status === 'detecting' ? /trying again in (\d+) s/.exec(state.detail) : null;
    return match ? [Number(match[1])] : [];
  });

describe('detectUntilFound', () => {
  it('keeps detecting with growing delays while nothing answers, and hands over what it finds once the server starts', async () => {
    const port = await freePort();
    const { states, found, run } = watch(`127.0.0.1:${port}`, { random: () => 0.5 });
    expect(states[0]).toEqual({ status: 'detecting', attempt: 1, detail: `Looking for a server at 127.0.0.1:${port}…` });

    await expect.poll(() => retrySeconds(states).length, { timeout: 10_000 }).toBe(2);
    expect(found).toEqual([]);
    expect(states.every((state) => state.status === 'detecting')).toBe(true);
    expect(states.find((state) => state.status === 'detecting' && state.detail.includes('trying again in'))).toMatchObject({ attempt: 1, detail: `Nothing answered on port ${port}; trying again in 1 s.` });

    await gpuUsageServer(port);
    await expect.poll(() => found.length, { timeout: 15_000 }).toBe(1);
    expect(found[0]!.map((detection) => detection.endpoint)).toEqual([{ protocol: 'gpu-usage', url: `ws://127.0.0.1:${port}/usage` }]);
    expect(retrySeconds(states)).toEqual([1, 2]);
    const attempts = states.map((state) => (state.status === 'detecting' ? state.attempt : 0));
    expect(attempts.every((attempt, index) => index === 0 || attempt >= attempts[index - 1]!)).toBe(true);
    expect(states.at(-1)).toMatchObject({ status: 'detecting', detail: `Found GPU usage stream on port ${port}.` });
    expect(run.ended).toBe(true);

    const reported = states.length;
    run.stop();
    await sleep(1500);
    expect(states).toHaveLength(reported);
    expect(found).toHaveLength(1);
  });

  it('stops looking when stopped: a server that starts afterwards is never contacted', async () => {
    const port = await freePort();
    const { states, found, run } = watch(`127.0.0.1:${port}`, { random: () => 0.5 });
    await expect.poll(() => retrySeconds(states).length, { timeout: 5000 }).toBe(1);
    run.stop();
    expect(states.at(-1)).toEqual({ status: 'stopped' });
    expect(run.ended).toBe(true);

    const server = await gpuUsageServer(port);
    // Past the 1 s the next round was due.
    await sleep(2500);
    expect(server.connections).toBe(0);
    expect(found).toEqual([]);
    expect(states.at(-1)).toEqual({ status: 'stopped' });
  });

  it('ends in auth-required with the detector\'s reason when the server refuses the credentials, and does not try again', async () => {
    let upgrades = 0;
    const server = await startFixtureServer({
      rejectUpgrade: () => {
        upgrades += 1;
        return 401;
      },
      onConnection: () => {},
    });
    cleanups.push(() => server.close());
    const { states, found, run } = watch(`127.0.0.1:${server.port}`);
    await expect.poll(() => states.at(-1)?.status, { timeout: 5000 }).toBe('auth-required');
    expect(states.at(-1)).toEqual({ status: 'auth-required', reason: expect.stringContaining('HTTP 401') });
    expect(run.ended).toBe(true);
    await sleep(2000);
    expect(upgrades).toBe(1);
    expect(found).toEqual([]);
    expect(states.map((state) => state.status)).toEqual(['detecting', 'auth-required']);
  });

  it('says what a port answered when it speaks no known protocol', async () => {
    const server = await startFixtureServer({ onConnection: (socket) => socket.send('hello, stranger') });
    cleanups.push(() => server.close());
    const { states } = watch(`127.0.0.1:${server.port}`);
    await expect.poll(() => retrySeconds(states).length, { timeout: 5000 }).toBe(1);
    expect(states.at(-1)).toMatchObject({ status: 'detecting', attempt: 1, detail: expect.stringMatching(new RegExp(`^Port ${server.port} answered in no protocol FleetWatch knows; trying again in \\d+ s\\.$`)) });
  });

  it('fails without throwing on an address that is not a server', () => {
    const { states, run } = watch('ftp://nope');
    expect(states).toEqual([{ status: 'failed', reason: expect.stringContaining('not a monitoring URL') }]);
    expect(run.ended).toBe(true);
  });
});
