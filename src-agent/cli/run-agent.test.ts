import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { agentFlags } from '../agent';
import { envName } from './flags';
import { BUILT_AGENT, SAFE_ENV, spawnAgent, tempDataDir } from '../../test-support/test-agent';
import { connectRecorder, ofType } from '../../test-support/ws-recorder';
import { cleanupAfterEach } from '../../test-support/cleanups';

const cleanups = cleanupAfterEach();

function runOnce(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BUILT_AGENT, ...args], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, ...SAFE_ENV, ...env } });
}

async function occupiedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as net.AddressInfo).port;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('agent command line', () => {
  it('--help lists every flag with its environment variable and exits 0', () => {
    const result = runOnce(['--help']);
    expect(result.status).toBe(0);
    for (const spec of agentFlags()) {
      expect(result.stdout).toContain(`--${spec.name}`);
      expect(result.stdout).toContain(envName(spec));
    }
  });

  it('refuses an unknown flag or a bad value with one clear message and exit code 2', () => {
    const unknown = runOnce(['--gpu-usge-port', '1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--gpu-usge-port'.*--help/);
    const badValue = runOnce(['--gpu-usage-port', '70000'], { FLEETWATCH_SYSMEDIC_INTERVAL: 'soon' });
    expect(badValue.status).toBe(2);
    expect(badValue.stderr).toContain('--gpu-usage-port must be between 0 and 65535, got 70000');
    expect(badValue.stderr).toContain('FLEETWATCH_SYSMEDIC_INTERVAL expects a number, got "soon"');
  });

  it('takes a port from the environment when the command line does not give one', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const agent = await spawnAgent([], { env: { FLEETWATCH_GPU_USAGE_PORT: String(port) } });
    cleanups.push(() => agent.stop());
    expect(agent.endpoints.find((endpoint) => endpoint.owner === 'gpu-usage')?.port).toBe(port);
  });

  it('names the protocol, port and flag in one line when a port is taken, and keeps the other protocols running', async () => {
    const taken = await occupiedPort();
    const agent = await spawnAgent(['--gpu-usage-port', String(taken)]);
    cleanups.push(() => agent.stop());
    expect(agent.failures).toEqual([
      `gpu-usage: WebSocket port ${taken} is already in use on 127.0.0.1; choose another with --gpu-usage-port or FLEETWATCH_GPU_USAGE_PORT`,
    ]);
    expect(agent.stderr.filter((line) => line.includes(`port ${taken}`))).toHaveLength(1);
    expect(agent.endpoints.some((endpoint) => endpoint.owner === 'gpu-usage')).toBe(false);
    const stream = await connectRecorder(agent.url('servercontrol'));
    await stream.next(ofType('stats_update'), 3000);
    stream.close();
    expect(agent.child.exitCode).toBeNull();
  });

  it('exits 1 with a reason when nothing at all can listen', async () => {
    const taken = await occupiedPort();
    const only = ['--no-servercontrol', '--no-socktop', '--no-vstats', '--no-sysmedic', '--no-metrics'];
    const result = runOnce(['--data-dir', tempDataDir(), '--gpu-usage-port', String(taken), ...only]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('already in use');
    expect(result.stderr).toContain('nothing is listening');
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('closes every socket and exits 0 on %s, telling every WebSocket client 1001 going away', async (signal) => {
    const agent = await spawnAgent([]);
    cleanups.push(() => agent.stop('SIGKILL'));
    const ports = agent.endpoints.filter((endpoint) => endpoint.kind !== 'udp').map((endpoint) => endpoint.port);
    const clients = await Promise.all(agent.connect.map((endpoint) => connectRecorder(endpoint.url)));
    // A client that stops reading never answers the close: it must not hold the shutdown up.
    const stalled = await connectRecorder(agent.url('servercontrol'));
    (stalled.socket as unknown as { _socket: net.Socket })._socket.pause();
    const started = Date.now();
    expect(await agent.stop(signal)).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    const closes = await Promise.all(clients.map((client) => client.closed));
    expect(closes.map((close, index) => `${agent.connect[index]!.protocol} ${close.code}`)).toEqual(agent.connect.map((endpoint) => `${endpoint.protocol} 1001`));
    expect(await Promise.all(ports.map(refused))).toEqual(ports.map(() => true));
  });

  it('prints the JSON report only once every listener is up, as its first stdout line', async () => {
    const child = spawn(process.execPath, [BUILT_AGENT, '--json', '--data-dir', tempDataDir(), ...['--gpu-usage-port', '0', '--servercontrol-port', '0', '--servercontrol-http-port', '0', '--servercontrol-discovery-ports', '0', '--socktop-port', '0', '--vstats-port', '0', '--sysmedic-port', '0', '--metrics-port', '0']], {
      env: { ...process.env, ...SAFE_ENV },
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const line = await new Promise<string>((resolve) => child.stdout.setEncoding('utf8').once('data', (chunk: string) => resolve(chunk.split('\n')[0]!)));
    const report = JSON.parse(line) as { event: string; endpoints: { owner: string }[]; connect: { protocol: string }[] };
    expect(report.event).toBe('listening');
    expect(new Set(report.endpoints.map((endpoint) => endpoint.owner))).toEqual(new Set(['gpu-usage', 'servercontrol', 'socktop', 'vstats', 'sysmedic', 'metrics']));
    expect(report.connect.map((endpoint) => endpoint.protocol).sort()).toEqual(['gpu-usage', 'servercontrol', 'socktop', 'sysmedic', 'vstats']);
  });
});
