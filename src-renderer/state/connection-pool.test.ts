// The connection pool against a real agent on loopback: every protocol the agent serves is read into the
// fleet, merged into one machine, and connections follow the source list.

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENTS } from '../../proto/clients';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
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
});
