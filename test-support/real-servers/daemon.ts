// Starts one of the real monitoring servers Debian packages (node_exporter, Prometheus, Glances, Netdata) on
// loopback, on a free port and in a data dir of its own, and waits until it answers HTTP. A server that is
// not installed fails the test with the package to install: the Test line installs them, so a missing one
// is a broken setup, never a reason to skip.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../free-port';

export interface RealServer {
  pid: number;
  host: string;
  port: number;
  /** `http://<host>:<port>` */
  origin: string;
  dataDir: string;
  /** What it printed, for a failing test to show. */
  output: string[];
  stop(): Promise<void>;
}

export interface DaemonSpec {
  name: string;
  binary: string;
  debianPackage: string;
  args(port: number, dataDir: string, host: string): string[];
  /** The path that answers 200 once it is ready. */
  readyPath: string;
  readyTimeoutMs?: number;
  /** Variables beside the test's own environment, e.g. to keep its logs and caches in the data dir. */
  env?(port: number, dataDir: string): Record<string, string>;
  /** Files to write into the data dir before it starts. */
  prepare?(port: number, dataDir: string, host: string): void;
}

/** Where a server listens: a free port on 127.0.0.1 unless a test needs a default port (on an address of its own, 127.0.0.N). */
export interface ListenAt {
  host: string;
  port: number;
}

export async function startDaemon(spec: DaemonSpec, at?: ListenAt): Promise<RealServer> {
  if (!existsSync(spec.binary)) {
    throw new Error(`${spec.name} is not installed (${spec.binary} is missing): the Test line installs Debian's ${spec.debianPackage}; run apt-get install ${spec.debianPackage}`);
  }
  const host = at?.host ?? '127.0.0.1';
  const port = at?.port ?? (await freePort());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `fleetwatch-${spec.name.toLowerCase().replace(/\W+/g, '-')}-`));
  spec.prepare?.(port, dataDir, host);
  const output: string[] = [];
  const child = spawn(spec.binary, spec.args(port, dataDir, host), { cwd: dataDir, env: { ...process.env, ...spec.env?.(port, dataDir) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean).slice(-200)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://${host}:${port}`;
  const stop = async (): Promise<void> => {
    await stopGroup(child, exited);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const server: RealServer = { pid: child.pid!, host, port, origin, dataDir, output, stop };
  try {
    await waitForAnswer(`${origin}${spec.readyPath}`, spec.readyTimeoutMs ?? 30_000, child);
  } catch (error) {
    await server.stop();
    throw new Error(`${spec.name} did not answer ${spec.readyPath} on ${origin}: ${(error as Error).message}\n${output.slice(-20).join('\n')}`);
  }
  return server;
}

async function waitForAnswer(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready within ${timeoutMs} ms (${last})`);
}

/** SIGTERM to its process group (Netdata and Glances start helpers), SIGKILL after 5 s. */
async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const killer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(killer);
}
