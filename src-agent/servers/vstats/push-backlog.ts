// What --vstats-push could not deliver: this machine's readings while the hub was unreachable, kept in
// order in memory and in a file of the data dir (one encoded reading a line), so that an agent restarted
// during an outage still backfills it. Bounded in bytes: past the bound the oldest readings go.

import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface BacklogEntry {
  timeMs: number;
  /** The reading as the wire carries it (one agent metrics object, JSON). */
  json: string;
}

export interface BacklogOptions {
  file: string;
  maxBytes: number;
  /** Told once when the file cannot be written; the backlog goes on in memory. */
  onProblem(message: string): void;
}

export class PushBacklog {
  private entries: BacklogEntry[] = [];
  private bytes = 0;
  private fileWorks = true;

  constructor(private readonly options: BacklogOptions) {
    let text = '';
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.failed(error as Error);
    }
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      const timeMs = Number(line.slice(0, tab));
      // A line cut short by a crash, or anything else, is left out.
      if (tab < 0 || !Number.isFinite(timeMs) || !line.endsWith('}')) continue;
      this.entries.push({ timeMs, json: line.slice(tab + 1) });
      this.bytes += line.length + 1;
    }
    this.trim();
  }

  get size(): number {
    return this.entries.length;
  }

  add(entry: BacklogEntry): void {
    this.entries.push(entry);
    const line = `${entry.timeMs}\t${entry.json}\n`;
    this.bytes += line.length;
    if (this.trim()) return;
    this.write(() => {
      mkdirSync(path.dirname(this.options.file), { recursive: true, mode: 0o700 });
      appendFileSync(this.options.file, line, { mode: 0o600 });
    });
  }

  /** The oldest `count` readings, to send. */
  peek(count: number): BacklogEntry[] {
    return this.entries.slice(0, count);
  }

  /** Drops the oldest `count` readings (delivered). */
  drop(count: number): void {
    if (count <= 0) return;
    this.entries = this.entries.slice(count);
    this.rewrite();
  }

  /** Drops the readings the hub already holds: those up to `timeMs`. */
  dropThrough(timeMs: number): void {
    const keep = this.entries.findIndex((entry) => entry.timeMs > timeMs);
    this.drop(keep < 0 ? this.entries.length : keep);
  }

  clear(): void {
    this.drop(this.entries.length);
  }

  /** Past the bound, drops the oldest tenth at once (so trimming is rare) and rewrites the file; true if it did. */
  private trim(): boolean {
    if (this.bytes <= this.options.maxBytes) return false;
    let dropBytes = this.bytes - this.options.maxBytes * 0.9;
    let count = 0;
    while (dropBytes > 0 && count < this.entries.length) {
      const entry = this.entries[count]!;
      dropBytes -= String(entry.timeMs).length + entry.json.length + 2;
      count += 1;
    }
    this.entries = this.entries.slice(count);
    this.rewrite();
    return true;
  }

  private rewrite(): void {
    this.bytes = this.entries.reduce((sum, entry) => sum + String(entry.timeMs).length + entry.json.length + 2, 0);
    this.write(() => {
      mkdirSync(path.dirname(this.options.file), { recursive: true, mode: 0o700 });
      const temporary = `${this.options.file}.tmp`;
      writeFileSync(temporary, this.entries.map((entry) => `${entry.timeMs}\t${entry.json}\n`).join(''), { mode: 0o600 });
      renameSync(temporary, this.options.file);
    });
  }

  private write(action: () => void): void {
    try {
      action();
      this.fileWorks = true;
    } catch (error) {
      if (this.fileWorks) this.failed(error as Error);
      this.fileWorks = false;
    }
  }

  private failed(error: Error): void {
    this.options.onProblem(`the push backlog cannot be kept in ${this.options.file} (${error.message}); it is kept in memory only`);
  }
}
