// The desktop app's main process, built as shipped, booted on the Electron stand-in (test-support/
// electron-standin: a fixture for the Electron binary this machine cannot install). Its window is a real
// Chromium page running the real preload; its agent a real child process; its tray and notifications
// are recorded. Runs everywhere Chromium does; the Electron specs cover the same ground where a binary exists.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { defaultSettings } from '../src-renderer/platform/settings';
import type { StandInRecord } from '../test-support/electron-standin/record';
import { isAlive } from '../test-support/is-alive';
import { ephemeralPortArgs, REPO_ROOT } from '../test-support/test-agent';

const REGISTER = path.join(REPO_ROOT, 'test-support', 'electron-standin', 'register.ts');
const MAIN = path.join(REPO_ROOT, 'out', 'main', 'index.js');

type StandInState = StandInRecord & { cdp: string | null };

interface DesktopApp {
  child: ChildProcess;
  output: string[];
  control: string;
  exited: Promise<number | null>;
}

function boot(userData: string): Promise<DesktopApp> {
  const child = spawn(process.execPath, ['--import', REGISTER, MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1',
      FLEETWATCH_USER_DATA_DIR: userData,
      FLEETWATCH_AGENT_ARGS: JSON.stringify(ephemeralPortArgs([])),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const line = buffered.split('\n').find((candidate) => candidate.startsWith('{"standInControl"'));
      if (line) resolve({ child, output, control: `http://127.0.0.1:${(JSON.parse(line) as { standInControl: number }).standInControl}`, exited });
    });
    void exited.then((code) => reject(new Error(`the main process exited (${code}) before the stand-in listened:\n${output.join('')}`)));
  });
}

async function state(app: DesktopApp): Promise<StandInState> {
  return (await (await fetch(`${app.control}/state`)).json()) as StandInState;
}

async function post(app: DesktopApp, what: string): Promise<void> {
  const response = await fetch(`${app.control}${what}`, { method: 'POST' });
  expect(response.status, `POST ${what}`).toBe(200);
}

/** Running children of the built agent entry: the agent itself, or (`hub`) the hub. */
function childPids(current: StandInState, which: 'agent' | 'hub'): number[] {
  return current.children.filter((child) => child.modulePath.endsWith(path.join('agent', 'index.js')) && (child.args[0] === 'hub') === (which === 'hub') && child.exitCode === undefined).map((child) => child.pid!);
}

function agentPids(current: StandInState): number[] {
  return childPids(current, 'agent');
}

test.describe('desktop app on the Electron stand-in', () => {
  let userData: string;
  let app: DesktopApp | undefined;
  let browser: Browser | undefined;

  test.beforeAll(() => {
    userData = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-standin-userdata-'));
    // A CPU rule any machine trips at once, so the alert path runs within seconds.
    const settings = defaultSettings();
    settings.alerts.rules = settings.alerts.rules.map((rule) => (rule.metric === 'cpu' ? { ...rule, threshold: 0, forSeconds: 0, hysteresis: 0, enabled: true } : { ...rule, enabled: false }));
    writeFileSync(path.join(userData, 'settings.json'), JSON.stringify(settings));
  });

  test.afterAll(async ({}, testInfo) => {
    if (app && testInfo.status !== testInfo.expectedStatus) process.stderr.write(`--- main process output ---\n${app.output.join('')}\n`);
    await browser?.close().catch(() => {});
    if (app && app.child.exitCode === null) {
      // Electron ends its utility processes with the app; the stand-in's forked children must be ended here.
      const children = await state(app)
        .then((current) => current.children.flatMap((child) => (child.exitCode === undefined && child.pid ? [child.pid] : [])))
        .catch(() => []);
      app.child.kill('SIGKILL');
      for (const pid of children) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    }
    rmSync(userData, { recursive: true, force: true });
  });

  test('boots the built main process: window, preload bridge, agent, alert to tray and notification, restart, second instance, quit', async () => {
    test.setTimeout(120_000);
    app = await boot(userData);

    await expect.poll(async () => (await state(app!)).windows[0]?.visible ?? false, { timeout: 30_000 }).toBe(true);
    const booted = await state(app);
    // The window shows the hub's page on loopback; the token it was opened with came back as a cookie.
    expect(booted.windows[0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/(#\/overview)?$/);
    const [hubPid] = childPids(booted, 'hub');
    expect(isAlive(hubPid!)).toBe(true);
    expect(booted.session).toEqual({ permissionRequestHandler: true, permissionCheckHandler: true, certificateVerifyProc: true, headersReceivedListener: true });

    browser = await chromium.connectOverCDP(booted.cdp!);
    const page: Page = browser.contexts()[0]!.pages().find((candidate) => candidate.url().startsWith('http://127.0.0.1:'))!;
    expect(await page.evaluate(() => (globalThis as unknown as { fleetwatch?: { kind: string } }).fleetwatch?.kind)).toBe('electron');
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    // An invoke the main process refuses rejects in the page with Electron's wording, and nothing is saved.
    const refused = page.evaluate(() => (globalThis as unknown as { fleetwatch: { saveSettings(value: unknown): Promise<void> } }).fleetwatch.saveSettings({ servers: 'all of them' }));
    await expect(refused).rejects.toThrow(/Error invoking remote method '[^']+': Error: /);

    // The supervised agent runs and the window shows this machine through the preload bridge.
    const thisComputer = page.locator('.host-card', { hasText: 'This computer' });
    await expect(thisComputer).toContainText(os.hostname(), { timeout: 30_000 });
    await expect(thisComputer.locator('[data-sample-ms]')).toHaveAttribute('data-sample-ms', /\d+/, { timeout: 30_000 });
    const [firstAgent] = agentPids(await state(app));
    expect(isAlive(firstAgent!)).toBe(true);

    // The CPU alert reaches the tray icon and exactly one notification.
    await expect.poll(async () => (await state(app!)).tray?.image ?? '', { timeout: 30_000 }).toMatch(/^tray-(warning|alert)-/);
    await expect.poll(async () => (await state(app!)).notifications.length, { timeout: 30_000 }).toBe(1);
    const [notification] = (await state(app)).notifications;
    expect(`${notification!.title} ${notification!.body}`).toMatch(/CPU/);
    const tray = (await state(app)).tray!;
    expect(tray.tooltip).toContain(os.hostname());
    expect(tray.menu.map((item) => item.label ?? item.type)).toEqual(expect.arrayContaining([expect.stringContaining(os.hostname()), 'Open FleetWatch', 'Pause alerts for 1 h', 'separator', 'Quit FleetWatch']));
    await page.waitForTimeout(3000);
    expect((await state(app)).notifications).toHaveLength(1);

    // Clicking it opens that host.
    await post(app, '/notification/click?index=0');
    await expect(page.locator('.host-detail .local-tag')).toHaveText('This computer');
    await expect(page.locator('.host-detail h1')).toBeVisible();

    // kill -9 of the agent is noticed, said on the Overview, and mended.
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Overview' }).click();
    process.kill(firstAgent!, 'SIGKILL');
    await expect(page.getByRole('status', { name: "This computer's agent" })).toContainText(/restarting it|Starting the local agent/, { timeout: 15_000 });
    await expect.poll(async () => agentPids(await state(app!)).filter((pid) => pid !== firstAgent), { timeout: 30_000 }).toHaveLength(1);
    await expect(page.getByRole('status', { name: "This computer's agent" })).toHaveCount(0, { timeout: 30_000 });
    const [secondAgent] = agentPids(await state(app));

    // A second instance hands over to the first and leaves.
    const focusedBefore = (await state(app)).windows[0]!.focused;
    const second = spawn(process.execPath, ['--import', REGISTER, MAIN], { cwd: REPO_ROOT, env: { ...process.env, FLEETWATCH_USER_DATA_DIR: userData }, stdio: 'ignore' });
    expect(await new Promise((resolve) => second.once('exit', resolve))).toBe(0);
    await expect.poll(async () => (await state(app!)).secondInstances).toBe(1);
    expect((await state(app)).windows[0]!.focused).toBeGreaterThan(focusedBefore);

    // Quit from the tray stops everything it started.
    const cdp = booted.cdp!;
    await browser.close();
    browser = undefined;
    await post(app, `/tray/menu/click?label=${encodeURIComponent('Quit FleetWatch')}`);
    expect(await app.exited).toBe(0);
    expect(isAlive(secondAgent!)).toBe(false);
    expect(isAlive(hubPid!)).toBe(false);
    await expect(fetch(`${cdp}/json/version`)).rejects.toThrow();
  });
});
