// LAN discovery by real broadcast, across two network namespaces joined by a veth pair: the agent answers
// in one, `agent discover` scans from the other. The broadcast never leaves the namespaces made here.
// Needs root and `ip netns`; where that is not permitted the test skips with one line saying so.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentReport } from '../../proto/agent-report';
import type { DiscoveredHost } from '../../proto/discovery';
import { BUILT_AGENT, ephemeralPortArgs, tempDataDir } from '../../test-support/test-agent';

const suffix = randomBytes(3).toString('hex');
const NS_AGENT = `fw-agent-${suffix}`;
const NS_SCANNER = `fw-scan-${suffix}`;
const VETH_AGENT = `fwa${suffix}`;
const VETH_SCANNER = `fwb${suffix}`;
const SUBNET = `10.${200 + (randomBytes(1)[0]! % 50)}.${randomBytes(1)[0]! % 250}`;
const DISCOVERY_PORT = 18081;

const created: string[] = [];
let agent: ChildProcess | undefined;
let dataDir: string | undefined;

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(result.stderr || result.error?.message || '').trim()}`);
}

/** Why namespaces cannot be made here, or null when they can (the first namespace is then created). */
function namespacesUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not running as root';
  try {
    ip('netns', 'add', NS_AGENT);
    created.push(NS_AGENT);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

afterAll(() => {
  agent?.kill('SIGKILL');
  // Deleting a namespace deletes its end of the veth pair, and with it the other end.
  for (const namespace of created.splice(0)) spawnSync('ip', ['netns', 'del', namespace], { timeout: 10_000 });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The kernel raises a veth's carrier asynchronously (its link watch runs up to a second later). */
async function waitForCarrier(namespace: string, link: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const shown = spawnSync('ip', ['-n', namespace, 'link', 'show', 'dev', link], { encoding: 'utf8', timeout: 5000 }).stdout ?? '';
    if (/state UP/.test(shown)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${link} in ${namespace} has no carrier after ${timeoutMs} ms`);
}

function firstLine(child: ChildProcess, what: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`${what} printed nothing within ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (!text.includes('\n')) return;
      clearTimeout(timer);
      resolve(text.split('\n')[0]!);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!text.includes('\n')) reject(new Error(`${what} exited with ${code} before printing a line; stderr:\n${stderr}`));
    });
  });
}

describe('LAN discovery across network namespaces', () => {
  it('finds an agent in another namespace by real broadcast', async (context) => {
    const unavailable = namespacesUnavailable();
    if (unavailable) {
      const line = `skipped: network namespaces unavailable (${unavailable}); the cross-namespace discovery test needs root and ip netns`;
      console.warn(line);
      context.skip(line);
      return;
    }
    ip('netns', 'add', NS_SCANNER);
    created.push(NS_SCANNER);
    ip('link', 'add', VETH_AGENT, 'netns', NS_AGENT, 'type', 'veth', 'peer', 'name', VETH_SCANNER, 'netns', NS_SCANNER);
    ip('-n', NS_AGENT, 'addr', 'add', `${SUBNET}.1/24`, 'dev', VETH_AGENT);
    ip('-n', NS_SCANNER, 'addr', 'add', `${SUBNET}.2/24`, 'dev', VETH_SCANNER);
    for (const [namespace, link] of [
      [NS_AGENT, VETH_AGENT],
      [NS_SCANNER, VETH_SCANNER],
    ] as const) {
      ip('-n', namespace, 'link', 'set', 'lo', 'up');
      ip('-n', namespace, 'link', 'set', link, 'up');
    }
    await waitForCarrier(NS_AGENT, VETH_AGENT);
    await waitForCarrier(NS_SCANNER, VETH_SCANNER);

    dataDir = tempDataDir();
    const agentArgs = ['--host', '0.0.0.0', '--servercontrol-discovery-ports', String(DISCOVERY_PORT)];
    agent = spawn('ip', ['netns', 'exec', NS_AGENT, process.execPath, BUILT_AGENT, '--json', '--exit-on-stdin-close', '--data-dir', dataDir, ...agentArgs, ...ephemeralPortArgs(agentArgs)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' },
    });
    const report = JSON.parse(await firstLine(agent, 'the agent', 15_000)) as AgentReport;
    const stream = report.endpoints.find((endpoint) => endpoint.owner === 'servercontrol' && endpoint.role === 'stream');
    expect(report.endpoints).toContainEqual(expect.objectContaining({ owner: 'servercontrol', kind: 'udp', port: DISCOVERY_PORT }));

    // No override: the scanner computes its own targets, the broadcast addresses of the scanner's namespace.
    const scanEnv: NodeJS.ProcessEnv = { ...process.env };
    delete scanEnv.FLEETWATCH_DISCOVERY_TARGETS;
    const scanner = spawn('ip', ['netns', 'exec', NS_SCANNER, process.execPath, BUILT_AGENT, 'discover', '--json', '--ports', String(DISCOVERY_PORT)], { stdio: ['ignore', 'pipe', 'pipe'], env: scanEnv });
    const result = JSON.parse(await firstLine(scanner, 'agent discover', 15_000)) as { targets: string[]; hosts: DiscoveredHost[] };

    expect(result.targets.sort()).toEqual(['255.255.255.255', `${SUBNET}.255`].sort());
    expect(result.hosts).toHaveLength(1);
    expect(result.hosts[0]).toMatchObject({ address: `${SUBNET}.1`, isFleetWatchAgent: true });
    expect(result.hosts[0]!.protocols).toContainEqual({ protocol: 'servercontrol', port: stream!.port });
  });
});
