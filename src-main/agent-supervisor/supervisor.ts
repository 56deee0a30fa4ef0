// Keeps the bundled agent running: spawns it through an injected adapter, reads its --json report,
// restarts it with exponential backoff, gives up after a crash loop until Retry, and stops it on quit.
// It owns no Electron or Node process API itself, so its tests drive a real agent under plain Node.

import { backoffDelayMs, type BackoffPolicy } from '../../proto/connection';
import type { LocalAgentStatus } from '../../src-renderer/platform/platform';
import type { AgentExit, AgentLaunch, AgentProcessHandle, SpawnAgent } from './agent-process';
import { parseAgentReport } from './agent-report-line';
import { CrashWindow, DEFAULT_CRASH_LOOP, type CrashLoopPolicy } from './crash-window';

export const SUPERVISOR_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

export interface AgentSupervisorOptions {
  spawn: SpawnAgent;
  /** Called for every start, so a Retry picks up anything that changed. */
  launch: () => AgentLaunch;
  /** Every line the agent prints and every supervisor decision, for the rotating log. */
  log?: (line: string) => void;
  /** Named in error messages so the user knows where to look. */
  logFile?: string;
  backoff?: BackoffPolicy;
  crashLoop?: CrashLoopPolicy;
  /** An agent that has not printed its report by then is killed and counted as a crash. */
  startTimeoutMs?: number;
  /** Grace after SIGTERM on quit before SIGKILL. */
  stopTimeoutMs?: number;
  /** A run that lasted this long resets the backoff to its first step. */
  stableAfterMs?: number;
  now?: () => number;
  random?: () => number;
}

interface Run {
  handle: AgentProcessHandle | undefined;
  startedAtMs: number;
  reported: boolean;
  timedOut: boolean;
  stderrTail: string[];
  /** Listeners the agent's report said could not start: often the reason it then exits. */
  failures: string[];
  onExit?: () => void;
}

const STDERR_TAIL_LINES = 8;

export class AgentSupervisor {
  private current: LocalAgentStatus = { state: 'starting', connect: [], listening: [], failures: [], restarts: 0 };
  private readonly listeners = new Set<(status: LocalAgentStatus) => void>();
  private readonly crashes: CrashWindow;
  private readonly now: () => number;
  private run: Run | undefined;
  private consecutiveExits = 0;
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private startTimer: ReturnType<typeof setTimeout> | undefined;
  private started = false;
  private stopping = false;

  constructor(private readonly options: AgentSupervisorOptions) {
    this.crashes = new CrashWindow(options.crashLoop ?? DEFAULT_CRASH_LOOP);
    this.now = options.now ?? Date.now;
  }

  get status(): LocalAgentStatus {
    return this.current;
  }

  /** The running agent's process id, if one runs. */
  get pid(): number | undefined {
    return this.run?.handle?.pid;
  }

  subscribe(listener: (status: LocalAgentStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.launch();
  }

  /** Starts again after a crash loop (or when the agent could not be started at all). */
  retry(): void {
    if (this.stopping || (this.current.state !== 'crashed' && this.current.state !== 'unavailable')) return;
    this.crashes.reset();
    this.consecutiveExits = 0;
    this.note('retry requested');
    this.launch();
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once the agent has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    clearTimeout(this.startTimer);
    const run = this.run;
    if (!run?.handle) return;
    const handle = run.handle;
    const graceMs = this.options.stopTimeoutMs ?? 3000;
    await new Promise<void>((resolve) => {
      // A process whose exit is never reported must not hang quitting forever.
      const giveUp = setTimeout(resolve, graceMs + 2000);
      const kill = setTimeout(() => {
        this.note(`agent did not exit within ${graceMs} ms of SIGTERM; sending SIGKILL`);
        handle.kill('SIGKILL');
      }, graceMs);
      run.onExit = () => {
        clearTimeout(kill);
        clearTimeout(giveUp);
        resolve();
      };
      this.note('stopping the agent (SIGTERM)');
      handle.kill('SIGTERM');
    });
  }

  private launch(): void {
    const restarting = this.current.restarts > 0 || this.current.state === 'restarting';
    const run: Run = { handle: undefined, startedAtMs: this.now(), reported: false, timedOut: false, stderrTail: [], failures: [] };
    this.run = run;
    this.publish({ state: restarting ? 'restarting' : 'starting', connect: [], listening: [], failures: [], message: restarting ? 'Restarting the agent…' : 'Starting the agent…' });
    try {
      run.handle = this.options.spawn(this.options.launch(), {
        stdoutLine: (line) => this.onStdout(run, line),
        stderrLine: (line) => {
          this.options.log?.(line);
          run.stderrTail = [...run.stderrTail, line].slice(-STDERR_TAIL_LINES);
        },
        exit: (exit) => this.onExit(run, exit),
      });
    } catch (error) {
      this.run = undefined;
      this.unavailable(`Cannot start the agent: ${(error as Error).message}`);
      return;
    }
    this.note(`agent started${run.handle.pid !== undefined ? ` (pid ${run.handle.pid})` : ''}`);
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    this.startTimer = setTimeout(() => {
      run.timedOut = true;
      this.note(`agent printed no report within ${timeoutMs} ms; killing it`);
      run.handle?.kill('SIGKILL');
    }, timeoutMs);
  }

  private onStdout(run: Run, line: string): void {
    if (run !== this.run || run.reported) {
      this.options.log?.(`[stdout] ${line}`);
      return;
    }
    const report = parseAgentReport(line);
    if (!report) {
      this.options.log?.(`[stdout, not a report] ${line}`);
      return;
    }
    run.reported = true;
    run.failures = report.failures;
    clearTimeout(this.startTimer);
    this.note(`agent listening on ${report.endpoints.length} endpoints${report.failures.length ? `; ${report.failures.length} failed` : ''}`);
    this.publish({ state: 'running', connect: report.connect, listening: report.endpoints, failures: report.failures, message: undefined });
  }

  private onExit(run: Run, exit: AgentExit & { error?: string }): void {
    run.onExit?.();
    if (run !== this.run) return;
    this.run = undefined;
    clearTimeout(this.startTimer);
    const what = describeExit(exit, run);
    this.note(`agent ${what}`);
    if (this.stopping) return;
    if (exit.error !== undefined && exit.code === null && exit.signal === null) {
      this.unavailable(`Cannot start the agent: ${exit.error}`);
      return;
    }
    if (run.reported && this.now() - run.startedAtMs >= (this.options.stableAfterMs ?? 60_000)) this.consecutiveExits = 0;
    this.consecutiveExits += 1;
    if (this.crashes.recordExit(this.now())) {
      const where = this.options.logFile ? ` Its log: ${this.options.logFile}.` : '';
      this.note('crash loop: not restarting until Retry');
      this.publish({ state: 'crashed', connect: [], listening: [], failures: [], message: `The agent stopped ${this.crashes.describe()}, so FleetWatch stopped restarting it. Last time it ${what}.${where}` });
      return;
    }
    const delayMs = backoffDelayMs(this.consecutiveExits, this.options.backoff ?? SUPERVISOR_BACKOFF, this.options.random);
    this.note(`restarting in ${delayMs} ms`);
    this.publish({ state: 'restarting', connect: [], listening: [], failures: [], message: `The agent ${what}; restarting in ${Math.max(1, Math.round(delayMs / 1000))} s.` });
    this.restartTimer = setTimeout(() => {
      this.current = { ...this.current, restarts: this.current.restarts + 1 };
      this.launch();
    }, delayMs);
  }

  private unavailable(message: string): void {
    this.note(message);
    this.publish({ state: 'unavailable', connect: [], listening: [], failures: [], message });
  }

  private note(text: string): void {
    this.options.log?.(`${new Date(this.now()).toISOString()} [supervisor] ${text}`);
  }

  private publish(change: Omit<LocalAgentStatus, 'restarts'>): void {
    const { message, ...rest } = change;
    this.current = { ...rest, ...(message !== undefined ? { message } : {}), restarts: this.current.restarts };
    for (const listener of this.listeners) listener(this.current);
  }
}

/** "exited with code 1: nothing is listening; exiting", "was killed by SIGKILL", … */
export function describeExit(exit: AgentExit & { error?: string }, run: { timedOut: boolean; stderrTail: readonly string[]; failures: readonly string[] }): string {
  if (run.timedOut) return 'printed no report in time and was killed';
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code === null) return `could not run (${exit.error ?? 'unknown error'})`;
  const reason = exitReason(run.stderrTail);
  const [firstFailure, ...moreFailures] = run.failures;
  const failures = firstFailure === undefined ? '' : ` (${firstFailure}${moreFailures.length ? ` and ${moreFailures.length} more` : ''})`;
  if (exit.code === 0) return 'exited with code 0';
  return `exited with code ${exit.code}${reason ? `: ${reason}` : ''}${failures}`;
}

const LOG_PREFIX = /^\S+T\S+Z\s+(error|warn|audit|info|debug)\s+/;

/**
 * The line that best says why the agent exited: the last error it logged (or a usage error), else the
 * message of an uncaught exception, else its last line; without the log timestamp.
 */
export function exitReason(stderrTail: readonly string[]): string | undefined {
  const newestFirst = stderrTail.map((line) => line.trim()).filter(Boolean).reverse();
  const picked =
    newestFirst.find((line) => /^\S+T\S+Z\s+error\s/.test(line) || line.startsWith('agent:')) ??
    newestFirst.find((line) => /^\w*Error\b.*:/.test(line)) ??
    newestFirst[0];
  if (picked === undefined) return undefined;
  const text = picked.replace(LOG_PREFIX, '');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
