import { describe, expect, it } from 'vitest';
import type { DiscoveredHost } from '../../proto/discovery';
import { defaultSettings } from '../platform/settings';
import { parseTarget } from '../../proto/target';
import { endpointProblem } from './host-state';
import { localEndpoints, newServerId } from '../../fleet/server-entry';
import { discoveredCredentials, entryFromDiscovery, inputWithCredentials, removeServer, serverForDiscovered, withCredential } from './servers';

const agentConnect = [
  { protocol: 'gpu-usage' as const, url: 'ws://127.0.0.1:33931/usage' },
  { protocol: 'sysmedic' as const, url: 'ws://127.0.0.1:8060/ws?secret=s3' },
  { protocol: 'socktop' as const, url: 'ws://127.0.0.1:3000/ws' },
  { protocol: 'vstats' as const, url: 'ws://127.0.0.1:3001/ws' },
];

const lanHost: DiscoveredHost = {
  address: '192.168.1.20',
  hostname: 'gpu-box',
  isFleetWatchAgent: true,
  lastSeenMs: 0,
  protocols: [
    { protocol: 'servercontrol', port: 8082 },
    { protocol: 'socktop', port: 3000 },
    { protocol: 'sysmedic', port: 8060 },
  ],
};

describe('servers', () => {
  it("reads This computer from the local agent's socktop endpoint, the richest, and vStats for the load and uptime socktop lacks", () => {
    expect(localEndpoints(agentConnect)).toEqual([agentConnect[2], agentConnect[3]]);
    // Without socktop: the GPU stream, then nothing that raises alerts of its own (SysMedic) though it brings the load.
    expect(localEndpoints(agentConnect.slice(0, 2))).toEqual([agentConnect[0]]);
    expect(localEndpoints(agentConnect.slice(0, 3))).toEqual([agentConnect[2]]);
    expect(localEndpoints([])).toEqual([]);
  });

  it('adds every protocol a discovered host advertises, and recognizes it once added', () => {
    const entry = entryFromDiscovery(lanHost, 'srv-9', 5);
    expect(entry).toEqual({
      id: 'srv-9',
      input: '192.168.1.20',
      name: 'gpu-box',
      addedAtMs: 5,
      endpoints: [
        { protocol: 'servercontrol', url: 'ws://192.168.1.20:8082/' },
        { protocol: 'socktop', url: 'ws://192.168.1.20:3000/ws' },
        { protocol: 'sysmedic', url: 'ws://192.168.1.20:8060/ws' },
      ],
    });
    expect(serverForDiscovered([{ ...entry, endpoints: [withCredential(entry.endpoints[2]!, 'sec')] }], lanHost)?.id).toBe('srv-9');
    expect(serverForDiscovered([], lanHost)).toBeUndefined();
  });

  it('asks a discovered host for the credentials its protocols read, and puts each only where it is read', () => {
    expect(discoveredCredentials(lanHost).map((credential) => credential.label)).toEqual(['socktop token', 'SysMedic secret']);
    const entry = entryFromDiscovery(lanHost, 'srv-9', 5, { secret: 'sec', token: 'tok' });
    expect(entry.endpoints.map((endpoint) => endpoint.url)).toEqual(['ws://192.168.1.20:8082/', 'ws://192.168.1.20:3000/ws?token=tok', 'ws://192.168.1.20:8060/ws?secret=sec']);
    expect(endpointProblem({ endpoints: [{ protocol: 'servercontrol', url: 'ws://h:8082/', state: { status: 'connected', sinceMs: 1 }, everConnected: true }] })).toBeUndefined();
    expect(
      endpointProblem({
        endpoints: [
          { protocol: 'servercontrol', url: 'ws://h:8082/', state: { status: 'connected', sinceMs: 1 }, everConnected: true },
          { protocol: 'sysmedic', url: 'ws://h:8060/ws', state: { status: 'auth-required', reason: 'The server refused the credentials (HTTP 401).' }, everConnected: false },
        ],
      }),
    ).toBe('SysMedic: The server refused the credentials (HTTP 401).');
    // In a browser the 401 is hidden: a socktop endpoint that never opened is named with what it may need.
    const neverOpened = { protocol: 'socktop' as const, url: 'ws://h:3000/ws', state: { status: 'reconnecting' as const, attempt: 3, retryInMs: 4000, reason: 'Could not connect.' }, everConnected: false };
    expect(endpointProblem({ endpoints: [neverOpened] })).toBe('socktop: Could not connect. It may need its socktop token.');
    expect(endpointProblem({ endpoints: [{ ...neverOpened, everConnected: true }] })).toBeUndefined();
  });

  it('puts a secret or token into an endpoint, replacing the old one', () => {
    expect(withCredential({ protocol: 'sysmedic', url: 'ws://h:8060/ws?secret=old' }, 'n w').url).toBe('ws://h:8060/ws?secret=n+w');
    expect(withCredential({ protocol: 'socktop', url: 'ws://h:3000/ws' }, 'tok').url).toBe('ws://h:3000/ws?token=tok');
  });

  it('removes a server with its cards\' alert overrides', () => {
    const base = defaultSettings();
    const settings = removeServer({ ...base, servers: [{ id: 'srv-1', input: 'h', endpoints: [], addedAtMs: 1 }], alerts: { ...base.alerts, overrides: { 'srv-1': { 'cpu-high': { threshold: 5 } }, 'srv-1/vstats:x': {}, 'srv-10': {} } } }, 'srv-1');
    expect(settings.servers).toEqual([]);
    expect(Object.keys(settings.alerts.overrides)).toEqual(['srv-10']);
  });

  it('carries a secret or token typed beside the address into it, where the detector reads them', () => {
    expect(inputWithCredentials(' h:8060 ', { secret: 's e' })).toBe('h:8060?secret=s%20e');
    expect(inputWithCredentials('ws://h:3000/ws?x=1', { token: 't' })).toBe('ws://h:3000/ws?x=1&token=t');
    expect(inputWithCredentials('h:3000?token=mine', { token: 'other', secret: 's' })).toBe('h:3000?token=mine&secret=s');
    expect(inputWithCredentials('h', {})).toBe('h');
    expect(parseTarget(inputWithCredentials('[::1]:8060', { secret: 's&x', token: 't' }))).toMatchObject({ host: '::1', port: 8060, secret: 's&x', token: 't' });
    expect(parseTarget(inputWithCredentials('gpu-box', { token: 't' }))).toMatchObject({ host: 'gpu-box', token: 't' });
    expect(parseTarget(inputWithCredentials('gpu-box', { token: 't' })).port).toBeUndefined();
  });

  it('makes ids that are new', () => {
    const values = [0.5, 0.5, 0.25];
    const id = newServerId([{ id: newServerId([], () => 0.5), input: 'x', endpoints: [], addedAtMs: 0 }], () => values.shift()!);
    expect(id).toBe(newServerId([], () => 0.25));
  });
});
