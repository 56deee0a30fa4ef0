// The small process handle the supervisor drives, so the same supervisor runs over Electron's
// utilityProcess and over Node's child_process. Adapters only translate events; they decide nothing.

/** What to start: arguments after the agent's script path, and environment additions. */
export interface AgentLaunch {
  args: string[];
  /** Flags for Node itself, before the entry. */
  nodeFlags?: readonly string[];
  /** Added to the inherited environment; secrets (the token) travel here, never in args. */
  env: Record<string, string>;
}

export interface AgentExit {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: string | null;
}

/** Events an adapter reports; passed at spawn time so none can be missed. */
export interface AgentProcessEvents {
  stdoutLine(line: string): void;
  stderrLine(line: string): void;
  /** Exactly once, whether the process exited or never started (then code is null and `error` says why). */
  exit(exit: AgentExit & { error?: string }): void;
}

export interface AgentProcessHandle {
  /** The OS process id, once known. */
  readonly pid: number | undefined;
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
}

export type SpawnAgent = (launch: AgentLaunch, events: AgentProcessEvents) => AgentProcessHandle;

/** Splits a byte stream into lines; a partial last line is kept until more arrives or the stream ends. */
export class LineSplitter {
  private pending = '';

  constructor(
    private readonly onLine: (line: string) => void,
    /** A child that never writes a newline must not grow this buffer without bound. */
    private readonly maxLineChars = 64 * 1024,
  ) {}

  push(chunk: string): void {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.replace(/\r$/, ''));
    if (this.pending.length > this.maxLineChars) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }

  end(): void {
    if (this.pending !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
