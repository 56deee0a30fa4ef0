// Runs one child of `npm start` in the foreground: signals pass through once, stdout may be read by line.

import { spawn, type SpawnOptions } from 'node:child_process';
import { onLines } from './on-lines.ts';

export interface ForegroundOptions {
  cwd: string;
  /** 'pipe' keeps a pipe to the child open for as long as we live (the agent exits when it closes). */
  stdin?: 'inherit' | 'pipe';
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs a child until it exits, passing Ctrl+C and SIGTERM on to it once; resolves with its exit code.
 * The child gets its own process group, so a terminal's Ctrl+C reaches it through us only, not twice.
 */
export function runInForeground(command: string, args: string[], options: ForegroundOptions, onStdoutLine?: (line: string) => void): Promise<number> {
  return startInForeground(command, args, options, onStdoutLine).exited;
}

/** Starts a child as runInForeground does; `exited` resolves with its exit code, `stop` signals it. */
export function startInForeground(command: string, args: string[], options: ForegroundOptions, onStdoutLine?: (line: string) => void): { exited: Promise<number>; stop(): void } {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: process.platform !== 'win32',
    stdio: [options.stdin ?? 'inherit', onStdoutLine ? 'pipe' : 'inherit', 'inherit'],
  };
  const child = spawn(command, args, spawnOptions);
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  if (onStdoutLine && child.stdout) onLines(child.stdout, onStdoutLine);
  const exited = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`npm start: cannot run ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });
  return { exited, stop: () => forward('SIGTERM') };
}
