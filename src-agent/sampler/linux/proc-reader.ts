// Reads small kernel files (/proc, /sys) synchronously into one reused buffer. The kernel makes their text
// at read time and never waits on a disk, so a read takes microseconds; through fs/promises each file costs
// four thread-pool round trips and a fresh buffer (measured: 7.8 ms of CPU against 1.7 ms for 140 files).
// Never use it for a file on a real file system, which may block.

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

let buffer = Buffer.allocUnsafe(64 * 1024);

/** The whole file as text, or null when it cannot be read (a process that exited, a missing sensor). */
export function readKernelFile(file: string): string | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      // A file larger than the buffer (a many-core /proc/stat, a long mount table) grows it for good.
      if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]);
    }
    return buffer.toString('utf8', 0, length);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The whole file as text, for files a collector cannot do without (/proc/stat, /proc/meminfo). */
export function readRequiredKernelFile(file: string): string {
  const text = readKernelFile(file);
  if (text === null) throw new Error(`cannot read ${file}`);
  return text;
}

/** The entries of a /proc or /sys directory, or none when it cannot be listed. */
export function listKernelDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
