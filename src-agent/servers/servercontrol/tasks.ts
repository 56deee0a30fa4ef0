// Runs /exec commands as shell tasks, each in its own process group so /kill ends everything it started.
// Keeps bounded logs and a bounded history; reports start, output chunks and completion to a listener.
// It never decides who may run a command: the HTTP API checks the token before calling run().

import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { TaskSummary } from '../../../proto/servercontrol/http-wire';
import { ENV_PREFIX } from '../../cli/flags';

export interface TaskListener {
  started(taskId: string, command: string): void;
  output(taskId: string, chunk: string, timeMs: number): void;
  completed(taskId: string, exitCode: number): void;
}

export interface TaskLimits {
  /** Characters of output kept per task: the most recent ones. */
  maxLogChars: number;
  /** Finished tasks kept for /tasks and /logs: the most recent ones. */
  maxFinishedTasks: number;
  maxRunningTasks: number;
  /** After SIGTERM, how long a process group has before SIGKILL. */
  killGraceMs: number;
}

export const DEFAULT_TASK_LIMITS: TaskLimits = { maxLogChars: 1024 * 1024, maxFinishedTasks: 100, maxRunningTasks: 32, killGraceMs: 2000 };

/** Exit code when the shell itself could not be started, as shells report "command not found". */
const EXIT_CANNOT_START = 127;

interface Task {
  id: string;
  command: string;
  child: ChildProcess;
  running: boolean;
  logChunks: string[];
  logChars: number;
  finished: Promise<void>;
  killTimer?: ReturnType<typeof setTimeout>;
}

export type KillResult = 'killed' | 'not-running' | 'unknown';

export class TaskRunner {
  private readonly tasks = new Map<string, Task>();
  private readonly finishedIds: string[] = [];
  private lastId = 0;

  constructor(
    private readonly listener: TaskListener,
    private readonly limits: TaskLimits = DEFAULT_TASK_LIMITS,
  ) {}

  get runningCount(): number {
    let count = 0;
    for (const task of this.tasks.values()) if (task.running) count += 1;
    return count;
  }

  /** Starts the command; null when too many tasks are already running. */
  run(command: string): string | null {
    if (this.runningCount >= this.limits.maxRunningTasks) return null;
    this.lastId += 1;
    const id = String(this.lastId);
    const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: taskEnvironment() });
    let settle: () => void = () => {};
    const task: Task = { id, command, child, running: true, logChunks: [], logChars: 0, finished: new Promise((resolve) => (settle = resolve)) };
    this.tasks.set(id, task);
    this.listener.started(id, command);

    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (chunk: Buffer) => this.append(task, decoder.write(chunk)));
      stream?.on('end', () => this.append(task, decoder.end()));
    }
    const finish = (exitCode: number): void => {
      if (!task.running) return;
      task.running = false;
      clearTimeout(task.killTimer);
      this.listener.completed(id, exitCode);
      this.retire(id);
      settle();
    };
    child.on('error', (error) => {
      this.append(task, `cannot start /bin/sh: ${error.message}\n`);
      finish(EXIT_CANNOT_START);
    });
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : EXIT_CANNOT_START)));
    return id;
  }

  list(): TaskSummary[] {
    return [...this.tasks.values()].map((task) => ({ id: task.id, running: task.running, command: task.command }));
  }

  logs(id: string): string | undefined {
    return this.tasks.get(id)?.logChunks.join('');
  }

  /** SIGTERM to the task's whole process group, SIGKILL after the grace period. */
  kill(id: string): KillResult {
    const task = this.tasks.get(id);
    if (!task) return 'unknown';
    if (!task.running) return 'not-running';
    signalGroup(task, 'SIGTERM');
    task.killTimer ??= setTimeout(() => signalGroup(task, 'SIGKILL'), this.limits.killGraceMs);
    return 'killed';
  }

  /** Ends every running task and waits, at most a little past the grace period, for them to finish. */
  async closeAll(): Promise<void> {
    const running = [...this.tasks.values()].filter((task) => task.running);
    for (const task of running) this.kill(task.id);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.limits.killGraceMs + 500)));
    await Promise.race([Promise.all(running.map((task) => task.finished)), deadline]);
    clearTimeout(timer);
  }

  private append(task: Task, text: string): void {
    if (text === '') return;
    task.logChunks.push(text);
    task.logChars += text.length;
    while (task.logChars > this.limits.maxLogChars && task.logChunks.length > 0) {
      const excess = task.logChars - this.limits.maxLogChars;
      const first = task.logChunks[0]!;
      if (first.length <= excess) {
        task.logChunks.shift();
        task.logChars -= first.length;
      } else {
        task.logChunks[0] = first.slice(excess);
        task.logChars -= excess;
      }
    }
    this.listener.output(task.id, text, Date.now());
  }

  private retire(id: string): void {
    this.finishedIds.push(id);
    while (this.finishedIds.length > this.limits.maxFinishedTasks) this.tasks.delete(this.finishedIds.shift()!);
  }
}

function signalGroup(task: Task, signal: NodeJS.Signals): void {
  if (task.child.pid === undefined) return;
  try {
    process.kill(-task.child.pid, signal);
  } catch {
    // ESRCH: the whole group has already exited.
  }
}

/** The agent's own settings (its token among them) are no business of the commands it runs. */
function taskEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith(ENV_PREFIX)));
}
