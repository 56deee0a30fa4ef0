import { afterEach, describe, expect, it } from 'vitest';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { DISCOVER_EXIT, runDiscover } from './discover';

const agents: TestAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.close()));
});

function capture(): { out: string[]; err: string[]; write: { out: (text: string) => void; err: (text: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, write: { out: (text) => out.push(text), err: (text) => err.push(text) } };
}

const LOOPBACK = { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' };

describe('agent discover', () => {
  it('finds our agent on loopback and lists every protocol it advertises', async () => {
    const agent = await startTestAgent();
    agents.push(agent);
    const discoveryPort = agent.endpoint('servercontrol', 'discovery').port;
    const io = capture();
    const code = await runDiscover(['--json', '--timeout-rounds', '1', '--ports', String(discoveryPort)], io.write.out, io.write.err, LOOPBACK);
    expect(code).toBe(DISCOVER_EXIT.found);
    const report = JSON.parse(io.out.join('')) as { targets: string[]; ports: number[]; hosts: { address: string; isFleetWatchAgent: boolean; protocols: { protocol: string; port: number }[] }[] };
    expect(report.targets).toEqual(['127.0.0.1']);
    expect(report.ports).toEqual([discoveryPort]);
    expect(report.hosts).toHaveLength(1);
    expect(report.hosts[0]).toMatchObject({ address: '127.0.0.1', isFleetWatchAgent: true });
    expect(report.hosts[0]!.protocols).toContainEqual({ protocol: 'servercontrol', port: agent.endpoint('servercontrol', 'stream').port });
    expect(report.hosts[0]!.protocols).toContainEqual({ protocol: 'gpu-usage', port: agent.endpoint('gpu-usage').port });
  });

  it('prints a table for people', async () => {
    const agent = await startTestAgent();
    agents.push(agent);
    const io = capture();
    await runDiscover(['--timeout-rounds', '1', '--ports', String(agent.endpoint('servercontrol', 'discovery').port)], io.write.out, io.write.err, LOOPBACK);
    const [header, row] = io.out.join('').split('\n');
    expect(header).toMatch(/^address\s+hostname\s+protocols\s+agent$/);
    expect(row).toMatch(/^127\.0\.0\.1\s+\S+\s+.*servercontrol:\d+.*FleetWatch$/);
    expect(io.err.join('')).toMatch(/Asking 127\.0\.0\.1 on UDP \d+ \(1 × 500 ms\)/);
  });

  it('exits 1 when nobody answers', async () => {
    const io = capture();
    // Port 9 (discard) on loopback: nothing answers DISCOVER_SERVER there.
    expect(await runDiscover(['--timeout-rounds', '1', '--ports', '9'], io.write.out, io.write.err, LOOPBACK)).toBe(DISCOVER_EXIT.noneFound);
    expect(io.out.join('')).toBe('No host answered.\n');
  });

  it.each([
    [['--timeout-rounds', '0'], /--timeout-rounds expects/],
    [['--timeout-rounds', '21'], /--timeout-rounds expects/],
    [['--ports', '70000'], /--ports expects/],
    [['--bogus'], /Unknown option/],
    [['somewhere'], /unexpected argument/],
  ])('rejects %j with a usage message', async (argv, problem) => {
    const io = capture();
    expect(await runDiscover(argv, io.write.out, io.write.err, LOOPBACK)).toBe(DISCOVER_EXIT.usage);
    expect(io.err.join('')).toMatch(problem);
    expect(io.err.join('')).toMatch(/Usage: agent discover/);
  });

  it('refuses a discovery override that is not a list of addresses', async () => {
    const io = capture();
    expect(await runDiscover([], io.write.out, io.write.err, { FLEETWATCH_DISCOVERY_TARGETS: 'everyone' })).toBe(DISCOVER_EXIT.usage);
    expect(io.err.join('')).toMatch(/not an IPv4 address/);
  });
});
