// Where `npm start` finds Electron's binary: ELECTRON_OVERRIDE_DIST_PATH, else the electron package's own
// dist/ (filled by scripts/start/fetch-electron.ts, since installs run no postinstall). Never downloads.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** `distDir` is the Electron build the binary lives in, what electron-builder copies into a package. */
export type ElectronLookup = { binary: string; distDir: string } | { reason: string; downloadable: boolean };

/** The folder of the installed electron package (its install.js, checksums and dist/). */
export function electronPackageDir(root: string): string {
  return path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
}

/** The electron package's version: the binary that must be fetched for it. */
export function electronVersion(electronDir: string): string {
  return (JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The binary the electron package points at, read afresh (its index.js caches its answer per process). */
export function installedElectron(electronDir: string, env: NodeJS.ProcessEnv): ElectronLookup {
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = path.join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8') : null;
  if (override) {
    const binary = path.join(override, executable ?? 'electron');
    return existsSync(binary) ? { binary, distDir: override } : { reason: `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron binary (looked for ${binary})`, downloadable: false };
  }
  if (executable === null) return { reason: `Electron ${electronVersion(electronDir)} is not downloaded yet`, downloadable: true };
  const distDir = path.join(electronDir, 'dist');
  const binary = path.join(distDir, executable);
  return existsSync(binary) ? { binary, distDir } : { reason: `the electron package points at ${binary}, which does not exist`, downloadable: true };
}

/** Why no window can open on this machine whatever Electron does, or null: Linux with no display. */
export function missingDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string | null {
  if (platform !== 'linux' || env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'this session has no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}
