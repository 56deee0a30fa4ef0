// Starts agents for tests: in-process (fast, real sockets) or as the built child process (real process,
// real signals). Every port defaults to 0 so tests never collide, and discovery stays on loopback.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentFlags, startAgent, type RunningAgent } from '../src-agent/agent';
import { envName } from '../src-agent/cli/flags';
import { AGENT_NODE_FLAGS, HUB_NODE_FLAGS } from '../src-agent/node-flags';
import { logLevelFlag } from '../src-agent/cli/general-flags';
import { parseFlags } from '../src-agent/cli/parse';
import { createLogger } from '../src-agent/log';
import { systemCollectors, SystemSampler, type Sampler } from '../src-agent/sampler/sampler';
import { queryNvidiaSmi } from '../src-agent/sampler/gpus';
import type { AgentReport } from '../proto/agent-report';
import type { Endpoint } from '../proto/client';
import type { ListeningEndpoint } from '../src-agent/servers/types';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
export const FAKE_GPU_DIR = path.join(REPO_ROOT, 'test-support/fake-gpu-hardware');
export const FAKE_NVIDIA_SMI = path.join(FAKE_GPU_DIR, 'nvidia-smi');
export const BUILT_AGENT = path.join(REPO_ROOT, 'out/agent/index.js');

/** Environment every test agent gets: discovery never leaves loopback. */
export const SAFE_ENV = { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' };

export function tempDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-test-'));
}

/** Every `--*-port` flag at 0 and every `--*-ports` list at a single 0, unless the test set it (by flag or environment). */
export function ephemeralPortArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): string[] {
  const extra: string[] = [];
  for (const spec of agentFlags()) {
    if (args.includes(`--${spec.name}`) || env[envName(spec)] !== undefined) continue;
    if (spec.name.endsWith('-port')) extra.push(`--${spec.name}`, '0');
    if (spec.name.endsWith('-ports')) extra.push(`--${spec.name}`, '0');
  }
  return extra;
}

export interface TestAgent extends RunningAgent {
  logs: string[];
  dataDir: string;
  endpoint(owner: string, role?: string): ListeningEndpoint;
  url(owner: string, role?: string): string;
}

export interface TestAgentOptions {
  /** Use the recorded GPU fixture instead of the real (absent) nvidia-smi. */
  fakeGpus?: boolean;
  sampler?: Sampler;
  env?: Record<string, string>;
}

export function fakeGpuSampler(): SystemSampler {
  return new SystemSampler({ ...systemCollectors(), gpus: () => queryNvidiaSmi(FAKE_NVIDIA_SMI) });
}

export async function startTestAgent(args: string[] = [], options: TestAgentOptions = {}): Promise<TestAgent> {
  const dataDir = args.includes('--data-dir') ? args[args.indexOf('--data-dir') + 1]! : tempDataDir();
  const allArgs = [...args, ...ephemeralPortArgs(args, options.env), ...(args.includes('--data-dir') ? [] : ['--data-dir', dataDir])];
  const { flags } = parseFlags(agentFlags(), allArgs, { ...SAFE_ENV, ...options.env });
  const logs: string[] = [];
  // Everything, unless the test is about what a quieter level leaves out.
  const log = createLogger(args.includes(`--${logLevelFlag.name}`) ? flags.get(logLevelFlag) : 'debug', (line) => logs.push(line));
  const sampler = options.sampler ?? (options.fakeGpus ? fakeGpuSampler() : undefined);
  const agent = await startAgent({ flags, log, sampler });
  if (agent.failures.length > 0) {
    await agent.close();
    throw new Error(`test agent failed to start: ${agent.failures.join('; ')}`);
  }
  const endpoint = (owner: string, role?: string): ListeningEndpoint => {
    const found = agent.endpoints.find((candidate) => candidate.owner === owner && (role === undefined || candidate.role === role));
    if (!found) throw new Error(`no ${owner}${role ? `/${role}` : ''} endpoint; have ${agent.endpoints.map((e) => `${e.owner}/${e.role}`).join(', ')}`);
    return found;
  };
  return {
    ...agent,
    logs,
    dataDir,
    endpoint,
    url: (owner, role) => {
      const found = endpoint(owner, role);
      if (!found.url) throw new Error(`${owner}/${found.role} has no URL`);
      return found.url;
    },
  };
}

export interface SpawnedAgent {
  child: ChildProcess;
  endpoints: ListeningEndpoint[];
  /** Ready-to-connect URLs with credentials, from the agent's report. */
  connect: Endpoint[];
  failures: string[];
  stderr: string[];
  /** The dashboard's address with its token, from the report; absent when the agent serves no dashboard. */
  openInBrowser?: string;
  url(owner: string, role?: string): string;
  /** Sends the signal and resolves with the exit code (or the signal name). */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
}

/** Runs the built agent (`npm run build` first) and waits for its --json line. */
export function spawnAgent(args: string[] = [], options: { env?: Record<string, string>; gpus?: boolean; timeoutMs?: number; nodeFlags?: readonly string[] } = {}): Promise<SpawnedAgent> {
  const allArgs = [...args, ...ephemeralPortArgs(args, options.env), ...(args.includes('--data-dir') ? [] : ['--data-dir', tempDataDir()]), '--json'];
  const pathEnv = options.gpus ? `${FAKE_GPU_DIR}${path.delimiter}${process.env.PATH}` : process.env.PATH;
  return spawnReporting('agent', allArgs, { PATH: pathEnv ?? '', ...options.env }, options.timeoutMs, [...AGENT_NODE_FLAGS, ...(options.nodeFlags ?? [])]);
}

/** The built hub (`agent hub`) on an ephemeral port with its own data dir unless given, as a real process. */
export function spawnHub(args: string[] = [], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<SpawnedAgent> {
  const allArgs = ['hub', ...args, ...(args.includes('--dashboard-port') ? [] : ['--dashboard-port', '0']), ...(args.includes('--data-dir') ? [] : ['--data-dir', tempDataDir()]), '--json'];
  return spawnReporting('hub', allArgs, options.env ?? {}, options.timeoutMs, HUB_NODE_FLAGS);
}

/** Spawns the built agent entry with `argv` and resolves once its --json report arrives. */
function spawnReporting(what: string, argv: string[], env: Record<string, string>, timeoutMs = 10_000, nodeFlags: readonly string[] = []): Promise<SpawnedAgent> {
  if (!existsSync(BUILT_AGENT)) throw new Error(`${BUILT_AGENT} is missing: run \`npm run build\` before these tests`);
  const child = spawn(process.execPath, [...nodeFlags, BUILT_AGENT, ...argv], {
    env: { ...process.env, ...SAFE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => stderr.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));

  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not report its endpoints within ${timeoutMs} ms. Its log:\n${stderr.join('\n')}`));
    }, timeoutMs);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before listening. Its log:\n${stderr.join('\n')}`));
    });
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      const report = JSON.parse(buffered.slice(0, newline)) as AgentReport;
      resolve({
        child,
        endpoints: report.endpoints,
        connect: report.connect,
        failures: report.failures,
        ...(report.openInBrowser ? { openInBrowser: report.openInBrowser } : {}),
        stderr,
        exited,
        url(owner, role) {
          const found = report.endpoints.find((e) => e.owner === owner && (role === undefined || e.role === role));
          if (!found?.url) throw new Error(`no ${owner} URL in ${JSON.stringify(report.endpoints)}`);
          return found.url;
        },
        stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
  });
}
