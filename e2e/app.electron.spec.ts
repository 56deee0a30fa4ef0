// The desktop app itself, through Playwright's Electron driver: it launches, its window shows this
// machine with live numbers from the bundled agent, and its tray exists and lists the host. Runs where an
// Electron binary exists (ELECTRON_OVERRIDE_DIST_PATH, or the one `npm start` downloads into the electron
// package); skips with one line otherwise.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import type { TrayView } from '../src-main/tray/tray-view';
import { isAlive } from '../test-support/is-alive';
import { ephemeralPortArgs, REPO_ROOT } from '../test-support/test-agent';
import { electronPackageDir, installedElectron } from '../scripts/start/electron-binary.ts';

const electronBinary = installedElectron(electronPackageDir(REPO_ROOT), process.env);
const SKIP_LINE =
  'reason' in electronBinary
    ? `Electron specs skipped: no Electron binary here (${electronBinary.reason}); npm start downloads it where GitHub is reachable, or set ELECTRON_OVERRIDE_DIST_PATH to an Electron build`
    : '';

interface TestHooks {
  tray(): TrayView | undefined;
  agentPid(): number | undefined;
}

test.describe('desktop app', () => {

  let app: ElectronApplication | undefined;
  let userData: string | undefined;
  const mainLog: string[] = [];

  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) process.stderr.write(`--- main process and agent output ---\n${mainLog.join('')}\n`);
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('launches, shows this machine with live numbers, and puts it in the tray', async () => {
    if (SKIP_LINE) {
      console.log(SKIP_LINE);
      test.skip(true, SKIP_LINE);
    }
    test.setTimeout(90_000);
    userData = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-e2e-userdata-'));
    app = await electron.launch({
      executablePath: (electronBinary as { binary: string }).binary,
      // Chromium's own sandbox cannot run as root (CI containers); the renderer stays sandboxed by Electron.
      args: [REPO_ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: {
        ...process.env,
        FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1',
        FLEETWATCH_USER_DATA_DIR: userData,
        FLEETWATCH_TEST_HOOKS: '1',
        // Ephemeral ports: the bundled agent must not collide with anything listening on the defaults.
        FLEETWATCH_AGENT_ARGS: JSON.stringify(ephemeralPortArgs([])),
      },
    });
    app.process().stderr?.on('data', (chunk: Buffer) => mainLog.push(chunk.toString()));

    const window = await app.firstWindow();
    await expect(window).toHaveTitle(/FleetWatch/);
    expect(await window.evaluate(() => typeof (window as unknown as { fleetwatch?: { kind: string } }).fleetwatch?.kind)).toBe('string');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    const thisComputer = window.locator('.host-card', { hasText: 'This computer' });
    await expect(thisComputer).toContainText(os.hostname(), { timeout: 30_000 });
    const figures = thisComputer.locator('[data-sample-ms]');
    await expect(figures).toHaveAttribute('data-sample-ms', /\d+/, { timeout: 30_000 });
    const firstSampleMs = Number(await figures.getAttribute('data-sample-ms'));
    await expect.poll(async () => Number(await figures.getAttribute('data-sample-ms')), { timeout: 20_000 }).toBeGreaterThan(firstSampleMs);
    await expect(thisComputer.locator('.metric-value').first()).toHaveText(/^\d+(\.\d)? %$/);

    const tray = (): Promise<TrayView | undefined> => app!.evaluate(() => (globalThis as unknown as { fleetwatchTestHooks: TestHooks }).fleetwatchTestHooks.tray());
    await expect.poll(async () => (await tray())?.tooltip ?? '', { timeout: 20_000 }).toContain(os.hostname());
    const view = (await tray())!;
    expect(['ok', 'warning', 'alert', 'offline']).toContain(view.icon);
    expect(view.menu.map((item) => item.kind)).toEqual(expect.arrayContaining(['host', 'open', 'pause', 'quit']));

    // Closing the window hides it to the tray; the app and its agent keep running.
    const agentPid = await app.evaluate(() => (globalThis as unknown as { fleetwatchTestHooks: TestHooks }).fleetwatchTestHooks.agentPid());
    expect(agentPid).toEqual(expect.any(Number));
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.close());
    await expect.poll(() => app!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((each) => each.isVisible()))).toEqual([false]);
    expect(isAlive(agentPid!)).toBe(true);

    // Quitting stops the agent: no orphan is left behind.
    await app.close();
    app = undefined;
    await expect.poll(() => isAlive(agentPid!), { timeout: 10_000 }).toBe(false);
  });
});
