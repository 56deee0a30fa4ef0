// Fetches Electron's binary in a child process and gives up when no data has arrived for a while, so a
// firewall that drops packets costs `npm start` seconds, not a hang. Never throws: says why it failed.

import { spawn } from 'node:child_process';
import path from 'node:path';
import { onLines } from './on-lines.ts';

export type DownloadProgress = { transferredBytes: number; totalBytes: number } | { extracting: true };
export type DownloadOutcome = { ok: true } | { ok: false; reason: string };

export interface DownloadOptions {
  electronDir: string;
  /** Longest wait for the next sign of progress (connecting, a chunk, unpacking) before giving up. */
  stallMs: number;
  env?: NodeJS.ProcessEnv;
  onProgress?: (progress: DownloadProgress) => void;
}

const FETCH_SCRIPT = path.join(import.meta.dirname, 'fetch-electron.ts');

export function downloadElectron(options: DownloadOptions): Promise<DownloadOutcome> {
  const child = spawn(process.execPath, [FETCH_SCRIPT, options.electronDir], { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stalled = false;
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = (): void => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      child.kill('SIGKILL');
    }, options.stallMs);
  };
  armStallTimer();
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.on('data', armStallTimer);
  onLines(child.stdout, (line) => {
    if (line.trim() !== '') options.onProgress?.(JSON.parse(line) as DownloadProgress);
  });
  return new Promise((resolve) => {
    child.on('error', (error) => {
      clearTimeout(stallTimer);
      resolve({ ok: false, reason: error.message });
    });
    child.on('exit', (code) => {
      clearTimeout(stallTimer);
      if (stalled) resolve({ ok: false, reason: `no data arrived for ${Math.round(options.stallMs / 1000)} s` });
      else if (code === 0) resolve({ ok: true });
      else resolve({ ok: false, reason: stderr.trim().split('\n').at(-1) || `the download exited with code ${code}` });
    });
  });
}
