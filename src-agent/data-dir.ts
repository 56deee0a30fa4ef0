// Persistent agent state: generated secrets kept in files only the owner can read.

import { chmodSync, renameSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crypto } from './net/node-crypto';

export function defaultDataDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
  return path.join(base, 'fleetwatch-agent');
}

export function ensureDataDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Reads a secret kept in `dir/name`, or generates one and writes it with mode 0600. */
export function readOrCreateSecret(dir: string, name: string): { secret: string; created: boolean } {
  const file = path.join(ensureDataDir(dir), name);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing) return { secret: existing, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = crypto().randomBytes(24).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'w' });
  chmodSync(file, 0o600);
  return { secret, created: true };
}

/** Writes a file only its owner can read, atomically: a crash leaves the old file or the new one, never half. */
export function writePrivateFile(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}
