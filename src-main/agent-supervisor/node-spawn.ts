// Runs the agent as a plain Node child process (tests, and wherever the supervisor runs without Electron).
// stdin stays an open pipe that is never written: with --exit-on-stdin-close the agent exits as soon as
// this process is gone, however it died, so no agent outlives its supervisor.

import { spawn } from 'node:child_process';
import { agentEnvironment } from './agent-launch';
import { LineSplitter, type SpawnAgent } from './agent-process';

export interface NodeSpawnOptions {
  /** The built agent entry, e.g. out/agent/index.js. */
  agentPath: string;
  /** The Node binary; defaults to the one running this process. */
  execPath?: string;
  parentEnv?: NodeJS.ProcessEnv;
}

export function nodeAgentSpawner(options: NodeSpawnOptions): SpawnAgent {
  return (launch, events) => {
    const child = spawn(options.execPath ?? process.execPath, [...(launch.nodeFlags ?? []), options.agentPath, ...launch.args], {
      env: agentEnvironment(options.parentEnv ?? process.env, launch.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout = new LineSplitter(events.stdoutLine);
    const stderr = new LineSplitter(events.stderrLine);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    // A write to a dead child's stdin would throw asynchronously; nothing is ever written, so ignore it.
    child.stdin.on('error', () => {});

    let reported = false;
    const report = (code: number | null, signal: string | null, error?: string): void => {
      if (reported) return;
      reported = true;
      stdout.end();
      stderr.end();
      events.exit({ code, signal, ...(error !== undefined ? { error } : {}) });
    };
    // 'close' comes after the last output line, so the supervisor sees every line before the exit.
    child.on('close', (code, signal) => report(code, signal));
    child.on('error', (error) => report(null, null, error.message));

    return {
      get pid() {
        return child.pid;
      },
      kill: (signal) => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      },
    };
  };
}
