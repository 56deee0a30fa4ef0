import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { LocalAgentState, LocalAgentStatus } from '../../src-renderer/platform/platform';
import { BUILT_AGENT, ephemeralPortArgs, tempDataDir } from '../../test-support/test-agent';
import { bundledAgentLaunch, newLaunchToken } from './agent-launch';
import type { AgentLaunch } from './agent-process';
import { nodeAgentSpawner } from './node-spawn';
import { AgentSupervisor, type AgentSupervisorOptions } from './supervisor';
import { isAlive } from '../../test-support/is-alive';

// Real processes: the built agent (`npm run build` first), started by the Node adapter.

const FAST_BACKOFF = { initialMs: 100, maxMs: 400, jitter: 0.2 };
const supervisors: AgentSupervisor[] = [];
const dataDirs: string[] = [];

beforeAll(() => {
  readFileSync(BUILT_AGENT); // fails with a clear ENOENT when the agent was not built
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function agentLaunch(extraArgs: string[] = [], token = newLaunchToken()): AgentLaunch {
  const dataDir = tempDataDir();
  dataDirs.push(dataDir);
  return bundledAgentLaunch({ token, dataDir, exitOnStdinClose: true, extraArgs: [...extraArgs, ...ephemeralPortArgs(extraArgs)] });
}

function supervise(launch: () => AgentLaunch, options: Partial<AgentSupervisorOptions> = {}): { supervisor: AgentSupervisor; log: string[] } {
  const log: string[] = [];
  const supervisor = new AgentSupervisor({
    spawn: nodeAgentSpawner({ agentPath: BUILT_AGENT, parentEnv: { ...process.env, FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' } }),
    launch,
    log: (line) => log.push(line),
    backoff: FAST_BACKOFF,
    ...options,
  });
  supervisors.push(supervisor);
  supervisor.start();
  return { supervisor, log };
}

/** Resolves with the first status matching, including the current one; bounded by the test timeout. */
function statusWhere(supervisor: AgentSupervisor, match: (status: LocalAgentStatus) => boolean): Promise<LocalAgentStatus> {
  return new Promise((resolve) => {
    if (match(supervisor.status)) return resolve(supervisor.status);
    const unsubscribe = supervisor.subscribe((status) => {
      if (!match(status)) return;
      unsubscribe();
      resolve(status);
    });
  });
}

const inState = (state: LocalAgentState) => (status: LocalAgentStatus) => status.state === state;

async function waitUntilGone(pid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

describe('AgentSupervisor with the built agent', () => {
  it('starts the agent, reads its endpoints from the --json line, and passes the token only through the environment', async () => {
    const token = newLaunchToken();
    const { supervisor } = supervise(() => agentLaunch([], token));
    const status = await statusWhere(supervisor, inState('running'));
    expect(status.listening.length).toBeGreaterThan(0);
    expect(status.connect.map((endpoint) => endpoint.protocol)).toContain('gpu-usage');
    expect(status.connect.every((endpoint) => endpoint.url.startsWith('ws://127.0.0.1:') || endpoint.url.startsWith('wss://127.0.0.1:'))).toBe(true);
    const pid = supervisor.pid!;
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(token);
    expect(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')).toContain(`FLEETWATCH_TOKEN=${token}`);
  });

  it('brings the agent back after kill -9 and counts the restart', async () => {
    const { supervisor, log } = supervise(() => agentLaunch());
    await statusWhere(supervisor, inState('running'));
    const firstPid = supervisor.pid!;
    process.kill(firstPid, 'SIGKILL');
    const restarting = await statusWhere(supervisor, inState('restarting'));
    expect(restarting.message).toMatch(/was killed by SIGKILL; restarting in \d+ s/);
    const back = await statusWhere(supervisor, (status) => status.state === 'running' && status.restarts === 1);
    expect(supervisor.pid).not.toBe(firstPid);
    expect(back.connect.length).toBeGreaterThan(0);
    expect(log.some((line) => line.includes('[supervisor] agent was killed by SIGKILL'))).toBe(true);
  });

  it('stops restarting after five crashes in a minute, says why, and starts again on Retry', async () => {
    // 203.0.113.1 (TEST-NET-3) is on no interface here: every listener fails, the agent exits with code 1.
    let hostArgs = ['--host', '203.0.113.1'];
    const { supervisor } = supervise(() => agentLaunch(hostArgs));
    const crashed = await statusWhere(supervisor, inState('crashed'));
    expect(crashed.message).toMatch(/stopped 5 times within 60 s/);
    expect(crashed.message).toMatch(/exited with code 1: nothing is listening/);
    expect(crashed.message).toMatch(/203\.0\.113\.1 is not on this machine/);
    expect(crashed.restarts).toBe(4);
    expect(supervisor.pid).toBeUndefined();

    // Nothing restarts on its own once it has given up.
    await new Promise((resolve) => setTimeout(resolve, 4 * FAST_BACKOFF.maxMs));
    expect(supervisor.status.state).toBe('crashed');

    hostArgs = [];
    supervisor.retry();
    const running = await statusWhere(supervisor, inState('running'));
    expect(running.connect.length).toBeGreaterThan(0);
  });

  it('stops the agent on quit and leaves no process behind', async () => {
    const { supervisor, log } = supervise(() => agentLaunch());
    await statusWhere(supervisor, inState('running'));
    const pid = supervisor.pid!;
    await supervisor.stop();
    expect(isAlive(pid)).toBe(false);
    expect(log.some((line) => line.includes('SIGTERM: closing every socket'))).toBe(true);
    expect(supervisor.status.state).toBe('running');
  });

  it('kills an agent that printed no report in time and counts it as a crash', async () => {
    const { supervisor } = supervise(() => agentLaunch(), {
      spawn: nodeAgentSpawner({ agentPath: '-e', parentEnv: process.env }),
      launch: () => ({ args: ['setInterval(() => {}, 1000)'], env: {} }),
      startTimeoutMs: 300,
    });
    const restarting = await statusWhere(supervisor, inState('restarting'));
    expect(restarting.message).toMatch(/printed no report in time and was killed/);
  });

  it('sends SIGKILL when the agent ignores SIGTERM for the grace period', async () => {
    const report = JSON.stringify({ event: 'listening', pid: 1, endpoints: [], connect: [], failures: [] });
    const stubborn = `process.on('SIGTERM', () => console.error('ignoring SIGTERM')); console.log(${JSON.stringify(report)}); setInterval(() => {}, 1000);`;
    const { supervisor, log } = supervise(() => ({ args: [stubborn], env: {} }), {
      spawn: nodeAgentSpawner({ agentPath: '-e', parentEnv: process.env }),
      stopTimeoutMs: 300,
    });
    await statusWhere(supervisor, inState('running'));
    const pid = supervisor.pid!;
    await supervisor.stop();
    expect(isAlive(pid)).toBe(false);
    expect(log.some((line) => line.includes('sending SIGKILL'))).toBe(true);
  });

  it('reports an agent that cannot be spawned at all as unavailable', async () => {
    const { supervisor } = supervise(() => agentLaunch(), { spawn: nodeAgentSpawner({ agentPath: BUILT_AGENT, execPath: '/nonexistent/node' }) });
    const status = await statusWhere(supervisor, inState('unavailable'));
    expect(status.message).toMatch(/Cannot start the agent: .*ENOENT/);
  });
});

describe('--exit-on-stdin-close', () => {
  it('ends the agent when the process holding its stdin dies, even by SIGKILL', async () => {
    // A stand-in supervisor process that starts the agent exactly as the Node adapter does, then is killed.
    const parentScript = `
      const { spawn } = require('node:child_process');
      const agent = spawn(process.execPath, JSON.parse(process.argv[1]), { stdio: ['pipe', 'pipe', 'ignore'] });
      agent.stdout.pipe(process.stdout);
      setInterval(() => {}, 1000);`;
    const dataDir = tempDataDir();
    dataDirs.push(dataDir);
    const agentArgs = [BUILT_AGENT, '--json', '--exit-on-stdin-close', '--data-dir', dataDir, ...ephemeralPortArgs([])];
    const parent = spawn(process.execPath, ['-e', parentScript, JSON.stringify(agentArgs)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' } });
    // However this test ends, the stand-in must not outlive it.
    onTestFinished(() => {
      parent.kill('SIGKILL');
    });
    const agentPid = await new Promise<number>((resolve, reject) => {
      let text = '';
      parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        const line = text.split('\n')[0];
        if (text.includes('\n') && line) resolve((JSON.parse(line) as { pid: number }).pid);
      });
      parent.once('exit', () => reject(new Error('the stand-in parent exited early')));
    });
    expect(isAlive(agentPid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitUntilGone(agentPid, 8000)).toBe(true);
  });
});
