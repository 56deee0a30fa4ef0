import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { installedElectron, missingDisplay } from './electron-binary.ts';

// Where `npm start` looks for Electron's binary, on package folders laid out as electron's install.js
// leaves them (path.txt naming the executable inside dist/).

const cleanups = cleanupAfterEach();

function electronPackage(layout: { pathTxt?: string; binaries?: string[] }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-electron-lookup-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1' }));
  if (layout.pathTxt !== undefined) writeFileSync(path.join(dir, 'path.txt'), layout.pathTxt);
  for (const binary of layout.binaries ?? []) {
    mkdirSync(path.dirname(path.join(dir, binary)), { recursive: true });
    writeFileSync(path.join(dir, binary), '');
  }
  return dir;
}

describe('finding Electron for npm start', () => {
  it('finds the binary install.js unpacked into dist/', () => {
    const dir = electronPackage({ pathTxt: 'electron', binaries: ['dist/electron'] });
    expect(installedElectron(dir, {})).toEqual({ binary: path.join(dir, 'dist', 'electron'), distDir: path.join(dir, 'dist') });
  });

  it('says a package without path.txt is not downloaded yet, and may be fetched', () => {
    expect(installedElectron(electronPackage({}), {})).toEqual({ reason: 'Electron 41.7.1 is not downloaded yet', downloadable: true });
  });

  it('fetches again when path.txt names a binary that is gone', () => {
    const dir = electronPackage({ pathTxt: 'electron' });
    expect(installedElectron(dir, {})).toEqual({ reason: `the electron package points at ${path.join(dir, 'dist', 'electron')}, which does not exist`, downloadable: true });
  });

  it('uses ELECTRON_OVERRIDE_DIST_PATH when set, and never downloads over it', () => {
    const override = electronPackage({ binaries: ['electron'] });
    expect(installedElectron(electronPackage({}), { ELECTRON_OVERRIDE_DIST_PATH: override })).toEqual({ binary: path.join(override, 'electron'), distDir: override });
    const empty = electronPackage({});
    expect(installedElectron(electronPackage({}), { ELECTRON_OVERRIDE_DIST_PATH: empty })).toEqual({
      reason: `ELECTRON_OVERRIDE_DIST_PATH=${empty} holds no Electron binary (looked for ${path.join(empty, 'electron')})`,
      downloadable: false,
    });
  });

  it('knows a Linux session without DISPLAY or WAYLAND_DISPLAY cannot show a window', () => {
    expect(missingDisplay('linux', {})).toMatch(/no display/);
    expect(missingDisplay('linux', { DISPLAY: ':0' })).toBeNull();
    expect(missingDisplay('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(missingDisplay('darwin', {})).toBeNull();
    expect(missingDisplay('win32', {})).toBeNull();
  });
});
