// Electron's binary for `npm start` and `npm run dist`: the one already here (ELECTRON_OVERRIDE_DIST_PATH,
// or the electron package's), else fetched with progress, giving up after 30 s without data. A failed
// download is remembered for a day so that each start does not wait on it again; `retry` ignores that.

import { describeAge, forgetFailure, rememberedFailure, rememberFailure } from './download-memory.ts';
import { electronPackageDir, electronVersion, installedElectron } from './electron-binary.ts';
import { downloadElectron } from './electron-download.ts';
import { progressPrinter } from './progress-line.ts';

const STALL_MS = 30_000;

export interface EnsureOptions {
  root: string;
  /** Who is speaking, for the progress line ("npm start"). */
  caller: string;
  /** How the caller asks to try a remembered failure again ("npm start -- --retry-electron"). */
  retryHint: string;
  retry: boolean;
}

export async function ensureElectron(options: EnsureOptions): Promise<{ binary: string; distDir: string } | { reason: string }> {
  const electronDir = electronPackageDir(options.root);
  const installed = installedElectron(electronDir, process.env);
  if ('binary' in installed || !installed.downloadable) return installed;

  const version = electronVersion(electronDir);
  const nowMs = Date.now();
  const remembered = options.retry ? null : rememberedFailure(options.root, version, nowMs);
  if (remembered) {
    return { reason: `Electron's download failed ${describeAge(nowMs - remembered.failedAtMs)} (${remembered.reason}); ${options.retryHint} tries again` };
  }
  process.stdout.write(`${options.caller}: downloading Electron ${version} for ${process.platform}-${process.arch} (first run only) …\n`);
  const outcome = await downloadElectron({ electronDir, stallMs: STALL_MS, onProgress: progressPrinter(process.stdout) });
  if (!outcome.ok) {
    rememberFailure(options.root, { version, failedAtMs: nowMs, reason: outcome.reason });
    return { reason: `Electron's download failed (${outcome.reason}); set ELECTRON_OVERRIDE_DIST_PATH to a local Electron build to use it` };
  }
  forgetFailure(options.root);
  return installedElectron(electronDir, process.env);
}
