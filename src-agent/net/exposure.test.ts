import { describe, expect, it } from 'vitest';
import type { ListeningEndpoint } from '../../proto/agent-report';
import { spawnAgent } from '../../test-support/test-agent';
import { exposureLines, lanAddresses, lanHost, reachableUrls, type Interfaces } from './exposure';

const INTERFACES: Interfaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', cidr: '127.0.0.1/8' }],
  eth0: [
    { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '02:00:00:00:00:01', cidr: '192.168.1.20/24' },
    { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:00:00:00:00:01', cidr: 'fe80::1/64', scopeid: 2 },
    { address: '2001:db8::20', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '02:00:00:00:00:01', cidr: '2001:db8::20/64', scopeid: 0 },
  ],
};

const endpoint = (owner: string, role: string, port: number, open: boolean, host = '0.0.0.0'): ListeningEndpoint => ({ owner, kind: 'ws', role, host, port, url: `ws://127.0.0.1:${port}/ws`, open });

describe('what an agent bound beyond loopback exposes', () => {
  it('finds the LAN addresses of a wildcard bind: IPv4 for 0.0.0.0, global IPv6 too for ::', () => {
    expect(lanAddresses('0.0.0.0', INTERFACES)).toEqual(['192.168.1.20']);
    expect(lanAddresses('::', INTERFACES)).toEqual(['192.168.1.20', '[2001:db8::20]']);
    expect(lanHost('0.0.0.0', INTERFACES)).toBe('192.168.1.20');
    expect(lanHost('10.0.0.5', INTERFACES)).toBe('10.0.0.5');
    expect(reachableUrls(endpoint('socktop', 'requests', 3000, true), INTERFACES)).toEqual(['ws://192.168.1.20:3000/ws']);
    expect(reachableUrls(endpoint('socktop', 'requests', 3000, true, '127.0.0.1'), INTERFACES)).toEqual([]);
  });

  it('says where the LAN reaches it and warns once about every listener that needs no credential', () => {
    const endpoints = [endpoint('socktop', 'requests', 3000, true), endpoint('sysmedic', 'stream', 8060, false), endpoint('vstats', 'dashboards', 3001, true), { ...endpoint('dashboard', 'dashboard', 8787, false), host: '127.0.0.1' }];
    expect(exposureLines('0.0.0.0', endpoints, INTERFACES)).toEqual([
      'listening on every interface: the LAN reaches this machine as 192.168.1.20; the URLs above are for this machine (127.0.0.1)',
      'WARNING: --host 0.0.0.0 lets anyone who can reach this machine read these without a credential: socktop requests (ws :3000), vstats dashboards (ws :3001)',
    ]);
    expect(exposureLines('127.0.0.1', endpoints.map((each) => ({ ...each, host: '127.0.0.1' })), INTERFACES)).toEqual([]);
    expect(exposureLines('localhost', [], INTERFACES)).toEqual([]);
  });

  it('the built agent on 0.0.0.0 prints the warning and reports where each endpoint is reachable', async () => {
    const agent = await spawnAgent(['--host', '0.0.0.0', '--socktop-token', 'tok']);
    try {
      // stderr and the stdout report travel separately: the warning may arrive just after the report.
      await expect.poll(() => agent.stderr.some((line) => line.includes('WARNING: --host 0.0.0.0'))).toBe(true);
      const warning = agent.stderr.find((line) => line.includes('WARNING: --host 0.0.0.0'));
      expect(warning).toContain('gpu-usage stream');
      expect(warning).toContain('servercontrol api');
      expect(warning).not.toContain('socktop');
      expect(warning).not.toContain('sysmedic stream');
      expect(warning).not.toContain('dashboard dashboard');
      const socktop = agent.endpoints.find((each) => each.owner === 'socktop')!;
      expect(socktop.open).toBe(false);
      expect(socktop.reachableAt).toEqual(lanAddresses('0.0.0.0').map((address) => `ws://${address}:${socktop.port}/ws`));
    } finally {
      await agent.stop();
    }
  });
});
