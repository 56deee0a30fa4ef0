// Decides when restarting stops helping: a crash loop is N exits inside a sliding time window.
// Pure bookkeeping over timestamps; the supervisor owns the clock and the process.

export interface CrashLoopPolicy {
  exits: number;
  windowMs: number;
}

export const DEFAULT_CRASH_LOOP: CrashLoopPolicy = { exits: 5, windowMs: 60_000 };

export class CrashWindow {
  private exitTimesMs: number[] = [];

  constructor(private readonly policy: CrashLoopPolicy = DEFAULT_CRASH_LOOP) {}

  /** Records an exit; true when this one completes a crash loop. */
  recordExit(nowMs: number): boolean {
    this.exitTimesMs = [...this.exitTimesMs.filter((timeMs) => nowMs - timeMs < this.policy.windowMs), nowMs];
    return this.exitTimesMs.length >= this.policy.exits;
  }

  reset(): void {
    this.exitTimesMs = [];
  }

  describe(): string {
    const seconds = Math.round(this.policy.windowMs / 1000);
    return `${this.policy.exits} times within ${seconds} s`;
  }
}
