import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REPO_ROOT } from '../test-support/test-agent';

// scripts/dist.ts where no Electron binary can be had: one line saying why and how to point at a local
// build, at once, never electron-builder's stack trace after its retries. Fetching the binary is the code
// npm start uses (scripts/start/ensure-electron.ts), tested with it.

describe('npm run dist without an Electron binary', () => {
  it('says so in one line and how to point at a local build, without running electron-builder', () => {
    const noElectron = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-no-electron-'));
    onTestFinished(() => rmSync(noElectron, { recursive: true, force: true }));
    const dist = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/dist.ts')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: noElectron },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(dist.status).toBe(1);
    expect(dist.stdout).toBe('');
    expect(dist.stderr).toMatch(new RegExp(`^npm run dist: cannot package without Electron's binary: ELECTRON_OVERRIDE_DIST_PATH=${noElectron} holds no Electron binary \\(looked for \\S+\\)\\.\\n$`));
  });
});
