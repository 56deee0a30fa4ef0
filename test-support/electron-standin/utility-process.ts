// Electron's utilityProcess.fork on child_process.fork: the same module, arguments, environment and piped
// output, and Electron's exit semantics (only a code; a signal shows as 128 + its number).

import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { ForkOptions as ElectronForkOptions, UtilityProcess } from 'electron';
import { record } from './record.ts';

class StandInUtilityProcess extends EventEmitter implements Pick<UtilityProcess, 'kill' | 'pid' | 'stdout' | 'stderr'> {
  readonly pid: number | undefined;
  readonly stdout: UtilityProcess['stdout'];
  readonly stderr: UtilityProcess['stderr'];
  private readonly child: ReturnType<typeof fork>;

  constructor(modulePath: string, args: string[], options: ElectronForkOptions) {
    super();
    // Not the parent's execArgv: that carries the stand-in's own --import hook.
    this.child = fork(modulePath, args, { env: options.env as NodeJS.ProcessEnv | undefined, execArgv: [], stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid;
    this.stdout = this.child.stdout ?? null;
    this.stderr = this.child.stderr ?? null;
    const entry: (typeof record.children)[number] = { pid: this.pid, modulePath, args };
    record.children.push(entry);
    this.child.once('spawn', () => this.emit('spawn'));
    this.child.once('exit', (code, signal) => {
      entry.exitCode = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
      this.emit('exit', entry.exitCode);
    });
  }

  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: ElectronForkOptions = {}): StandInUtilityProcess => new StandInUtilityProcess(modulePath, args, options),
};
