// The connection pool against a real agent on loopback: every protocol the agent serves is read into the
// fleet, merged into one machine, connections follow the source list, and a server with no endpoints yet is
// detected once it starts, unless it was removed or re-addressed first.

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS } from '../proto/clients';
import type { Detection } from '../proto/detect';
import { freePort } from '../test-support/free-port';
import { startTestAgent, type TestAgent } from '../test-support/test-agent';
import { sleep } from '../test-support/ws-recorder';
import { ConnectionPool } from './connection-pool';
import { Fleet } from './fleet';

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent(['--gpu-usage-interval', '1', '--sysmedic-interval', '1'], { fakeGpus: true });
});
afterAll(() => agent.close());

describe('ConnectionPool', () => {
  it('reads every protocol the agent serves into one machine, and stops when the source goes', async () => {
    const fleet = new Fleet();
    const pool = new ConnectionPool({ fleet, WebSocket });
    const endpoints = agent.connect.filter((endpoint) => CLIENTS[endpoint.protocol] && endpoint.protocol !== 'vstats');
    expect(endpoints.length).toBeGreaterThanOrEqual(3);
    pool.sync([{ id: 'srv-1', name: 'agent', local: false, endpoints }]);

    await expect.poll(() => fleet.machine('srv-1')?.parts.filter((part) => part.latest).length, { timeout: 10_000 }).toBe(endpoints.length);
    const machine = fleet.machine('srv-1')!;
    expect(machine.status).toBe('online');
    expect(machine.protocols[0]).toBe('socktop');
    expect(machine.sample!.cpu!.perCorePercent!.length).toBeGreaterThan(0);
    expect(machine.sample!.gpus!.length).toBe(2);
    expect(machine.endpoints.every((endpoint) => endpoint.state.status === 'connected')).toBe(true);

    pool.sync([]);
    expect(pool.size).toBe(0);
    expect(fleet.machines()).toEqual([]);
  });

  it('streams processes only for the source being looked at', async () => {
    const fleet = new Fleet();
    const pool = new ConnectionPool({ fleet, WebSocket });
    pool.sync([{ id: 'srv-2', name: 'agent', local: false, endpoints: agent.connect.filter((endpoint) => endpoint.protocol === 'socktop') }]);
    await expect.poll(() => fleet.machine('srv-2')?.sample?.cpu, { timeout: 5000 }).toBeDefined();
    expect(fleet.machine('srv-2')!.sample!.processes).toBeUndefined();
    pool.watchProcesses('srv-2');
    await expect.poll(() => fleet.machine('srv-2')?.sample?.processes?.length ?? 0, { timeout: 8000 }).toBeGreaterThan(0);
    pool.stopAll();
  });

  it('marks an endpoint it has no client for as failed instead of connecting', () => {
    const fleet = new Fleet();
    const pool = new ConnectionPool({ fleet, WebSocket, clients: {} });
    pool.sync([{ id: 'srv-3', name: 'x', local: false, endpoints: [{ protocol: 'vstats', url: 'ws://127.0.0.1:1/ws' }] }]);
    expect(pool.size).toBe(0);
    expect(fleet.machine('srv-3')).toMatchObject({ status: 'failed', statusText: 'This build has no vStats client.' });
  });

  it('waits for a credential after a refusal and tries again when asked', async () => {
    const fleet = new Fleet();
    const pool = new ConnectionPool({ fleet, WebSocket });
    const sysmedic = agent.connect.find((endpoint) => endpoint.protocol === 'sysmedic')!;
    const wrong = { protocol: 'sysmedic' as const, url: sysmedic.url.replace(/secret=[^&]*/, 'secret=wrong') };
    pool.sync([{ id: 'srv-4', name: 'x', local: false, endpoints: [wrong] }]);
    await expect.poll(() => fleet.machine('srv-4')?.status, { timeout: 5000 }).toBe('auth-required');
    pool.sync([{ id: 'srv-4', name: 'x', local: false, endpoints: [sysmedic] }]);
    await expect.poll(() => fleet.machine('srv-4')?.status, { timeout: 5000 }).toBe('online');
    pool.stopAll();
  });

  it('detects a server that starts after it was added, and hands what it found to its owner', async () => {
    const port = await freePort();
    const fleet = new Fleet();
    const detected: { sourceId: string; input: string; found: Detection[] }[] = [];
    const pool = new ConnectionPool({ fleet, WebSocket, onDetected: (sourceId, input, found) => detected.push({ sourceId, input, found }) });
    const spec = { id: 'srv-5', name: 'late', local: false, endpoints: [], detectInput: `127.0.0.1:${port}` };
    pool.sync([spec]);
    expect(fleet.machine('srv-5')).toMatchObject({ status: 'detecting', statusText: `Looking for a server at 127.0.0.1:${port}…` });
    await expect.poll(() => fleet.machine('srv-5')?.statusText, { timeout: 5000 }).toMatch(new RegExp(`^Nothing answered on port ${port}; trying again in \\d+ s\\.$`));

    const late = await startTestAgent(['--servercontrol-port', String(port)]);
    try {
      await expect.poll(() => detected.length, { timeout: 20_000 }).toBe(1);
      expect(detected[0]).toMatchObject({ sourceId: 'srv-5', input: `127.0.0.1:${port}`, found: [{ protocol: 'servercontrol' }] });
      expect(fleet.machine('srv-5')!.statusText).toBe(`Found ServerControl on port ${port}.`);

      pool.sync([{ ...spec, endpoints: detected[0]!.found.map((found) => found.endpoint) }]);
      await expect.poll(() => fleet.machine('srv-5')?.status, { timeout: 10_000 }).toBe('online');
      expect(fleet.machine('srv-5')!.protocols).toEqual(['servercontrol']);
    } finally {
      pool.stopAll();
      await late.close();
    }
  });

  it('stops detecting a server that is removed or given another address', async () => {
    const [first, second] = [await freePort(), await freePort()];
    const fleet = new Fleet();
    const detected: string[] = [];
    const pool = new ConnectionPool({ fleet, WebSocket, onDetected: (_sourceId, input) => detected.push(input) });
    const spec = { id: 'srv-6', name: 'moving', local: false, endpoints: [], detectInput: `127.0.0.1:${first}` };
    pool.sync([spec]);
    await expect.poll(() => fleet.machine('srv-6')?.statusText, { timeout: 5000 }).toContain('trying again in');
    pool.sync([{ ...spec, detectInput: `127.0.0.1:${second}` }]);
    expect(fleet.machine('srv-6')!.statusText).toBe(`Looking for a server at 127.0.0.1:${second}…`);
    pool.sync([]);
    expect(fleet.machines()).toEqual([]);

    const late = await startTestAgent(['--servercontrol-port', String(first), '--gpu-usage-port', String(second)]);
    try {
      // Longer than the next two rounds of either search would have waited.
      await sleep(3500);
      expect(detected).toEqual([]);
    } finally {
      await late.close();
    }
  });
});
