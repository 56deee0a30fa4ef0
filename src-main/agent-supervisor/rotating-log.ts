// The agent's log file in userData: appends lines, and past a size limit renames agent.log to agent.log.1
// (shifting older ones up, dropping the oldest). A log write never throws into the supervisor.

import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

export interface RotatingLogOptions {
  file: string;
  maxBytes?: number;
  /** Rotated files kept beside the current one: agent.log.1 … agent.log.<keep>. */
  keep?: number;
}

export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
export const DEFAULT_LOG_KEEP = 3;

export class RotatingLog {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private sizeBytes: number | undefined;

  constructor(options: RotatingLogOptions) {
    this.file = options.file;
    this.maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
    this.keep = options.keep ?? DEFAULT_LOG_KEEP;
  }

  write(line: string): void {
    const text = line.endsWith('\n') ? line : `${line}\n`;
    try {
      this.sizeBytes ??= this.currentSize();
      if (this.sizeBytes > 0 && this.sizeBytes + Buffer.byteLength(text) > this.maxBytes) this.rotate();
      appendFileSync(this.file, text, { mode: 0o600 });
      this.sizeBytes += Buffer.byteLength(text);
    } catch {
      // A full disk or a removed folder must not take the supervisor down; the next write tries again.
      this.sizeBytes = undefined;
    }
  }

  private currentSize(): number {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    try {
      return statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let index = this.keep - 1; index >= 1; index--) {
      try {
        renameSync(`${this.file}.${index}`, `${this.file}.${index + 1}`);
      } catch {
        // That generation does not exist yet.
      }
    }
    renameSync(this.file, `${this.file}.1`);
    this.sizeBytes = 0;
  }
}
