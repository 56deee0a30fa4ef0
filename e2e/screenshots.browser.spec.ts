// Screenshots for a person to look at, in both themes: the overview with several hosts in every state, a
// host's page, Add server with detection results and its offer to keep looking, alerts, rules, servers and
// discovery. Run on request:
// FLEETWATCH_SCREENSHOTS=1 npx playwright test screenshots  (writes /tmp/screens/*.png; the README shows
// the overview as cards and as the table, and gpu-box's page, copied into docs/screenshots/).

import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { defaultSettings, type Settings } from '../src-renderer/platform/settings';
import { freePort } from '../test-support/free-port';
import { Agents, dashboardUrl, protocolPort, udpPort, type SpawnedAgent } from './browser-support';

const OUT = '/tmp/screens';
const agents = new Agents();
let dashboard: SpawnedAgent;
/** web-1: ServerControl with /exec, and the host a discovery scan finds. */
let web: SpawnedAgent;
let settings: Settings;
/** Nothing listens here: a server added to be detected later, and an address where detection finds nothing. */
let silentPort: number;

test.skip(!process.env.FLEETWATCH_SCREENSHOTS, 'screenshots are taken on request: FLEETWATCH_SCREENSHOTS=1');
test.describe.configure({ timeout: 180_000 });

test.beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  const fast = ['--gpu-usage-interval', '1', '--sysmedic-interval', '1', '--vstats-interval', '1'];
  // A machine per server, each by its own hostname: endpoints of one agent would be one machine, shown once.
  const machine = (hostname: string, args: string[], options: { gpus?: boolean } = {}) => agents.start(hostname, ['--hostname', hostname, ...fast, ...args], options);
  const gpuBox = await machine('gpu-box', ['--socktop-token', 'shot-token'], { gpus: true });
  web = await machine('web-1', ['--allow-exec', '--token', 'shot-exec']);
  // SysMedic sends no hostname: at an address of its own, it is not taken for another machine there.
  const db = await machine('db-1', ['--host', '127.0.0.3']);
  const render = await machine('render-1', [], { gpus: true });
  const only = ['--no-gpu-usage', '--no-servercontrol', '--no-socktop', '--no-sysmedic', '--no-metrics'];
  const hub = await agents.start('lab-hub', [...only, '--hostname', 'lab-hub', '--vstats-token', 'shot-hub', '--vstats-interval', '1']);
  const push = `ws://127.0.0.1:${protocolPort(hub, 'vstats')}/ws/agent?token=shot-hub`;
  for (const id of ['lab-node-1', 'lab-node-2', 'lab-node-3']) await agents.start(id, [...only, '--hostname', id, '--vstats-push', push, '--vstats-server-id', id, '--vstats-interval', '1']);
  dashboard = await agents.startDashboard('dashboard', ['--hostname', 'workstation'], ['--dashboard-scan-ports', String(udpPort(web, 'servercontrol'))], { gpus: true });

  const endpoint = (agent: SpawnedAgent, protocol: 'gpu-usage' | 'servercontrol' | 'socktop' | 'sysmedic') => agent.connect.find((candidate) => candidate.protocol === protocol)!;
  const server = (id: string, name: string, endpoints: Settings['servers'][number]['endpoints'], tags: string[] = []) => ({ id, name, input: endpoints[0]!.url.replace(/\?.*$/, ''), endpoints, addedAtMs: 1, ...(tags.length > 0 ? { tags } : {}) });
  silentPort = await freePort();
  const base = defaultSettings();
  settings = {
    ...base,
    servers: [
      server('srv-gpu', 'gpu-box', [endpoint(gpuBox, 'socktop')], ['gpu', 'rack-1']),
      server('srv-web', 'web-1', [endpoint(web, 'servercontrol')], ['web']),
      server('srv-db', 'db-1', [endpoint(db, 'sysmedic')], ['db', 'rack-1']),
      server('srv-render', 'render-1', [endpoint(render, 'gpu-usage')], ['gpu']),
      server('srv-hub', 'Lab hub', [{ protocol: 'vstats', url: `ws://127.0.0.1:${protocolPort(hub, 'vstats')}/ws` }], ['lab']),
      server('srv-old', 'mail-2', [{ protocol: 'sysmedic', url: `${endpoint(db, 'sysmedic').url.replace(/secret=[^&]*/, 'secret=expired')}` }], ['web']),
      server('srv-nas', 'backup-nas', [{ protocol: 'servercontrol', url: 'ws://127.0.0.1:9/' }], ['rack-1']),
      { id: 'srv-new', name: 'new-box', input: `127.0.0.1:${silentPort}`, endpoints: [], addedAtMs: 1 },
    ],
    alerts: {
      rules: base.alerts.rules.map((rule) => (rule.id === 'gpu-hot' ? { ...rule, forSeconds: 0 } : rule.id === 'memory-high' ? { ...rule, forSeconds: 0 } : rule)),
      overrides: { 'srv-gpu': { 'gpu-hot': { threshold: 60 } }, 'srv-web': { 'memory-high': { threshold: 2 } } },
    },
  };
});
test.afterEach(({}, testInfo) => agents.printLogsIfFailed(testInfo));
test.afterAll(() => agents.stopAll());

async function open(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  // Runs in the page, which has localStorage; this file is type-checked without the DOM library.
  await page.addInitScript((text) => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('fleetwatch.settings', text), JSON.stringify(settings));
  await page.goto(dashboardUrl(dashboard));
  await expect(page.locator('.host-card')).toHaveCount(12, { timeout: 20_000 });
  // The notice that the browser's list moved into the hub is the spec's way in, not what a person sees.
  await page.getByRole('button', { name: 'Dismiss', exact: true }).first().click();
  // Let the sparklines and charts collect some history.
  await page.waitForTimeout(40_000);
}

const nav = (page: Page, name: RegExp | string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name }).click();

for (const theme of ['light', 'dark'] as const) {
  test(`screens in the ${theme} theme`, async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 960 });
    await open(page, theme);
    await page.screenshot({ path: `${OUT}/${theme}-overview.png`, fullPage: true });
    await page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Table' }).click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${OUT}/${theme}-table.png`, fullPage: true });
    await page.getByRole('button', { name: 'Group by tag' }).click();
    await page.locator('.group-row[data-group="web"] .group-toggle').click();
    // Past the chevron's turn.
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUT}/${theme}-table-by-tag.png`, fullPage: true });
    await page.getByRole('button', { name: 'Group by tag' }).click();
    await page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Cards' }).click();

    await page.locator('.host-card', { hasText: 'gpu-box' }).locator('.card-open').click();
    await expect(page.locator('.processes tbody tr').first()).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: `${OUT}/${theme}-host-gpu-box.png`, fullPage: true });
    await nav(page, 'Overview');
    await page.locator('.host-card', { hasText: 'This computer' }).locator('.card-open').click();
    await expect(page.locator('.chart-source').first()).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: `${OUT}/${theme}-host-this-computer.png`, fullPage: true });
    await nav(page, 'Overview');
    await page.locator('.host-card', { hasText: 'db-1' }).locator('.card-open').click();
    await page.screenshot({ path: `${OUT}/${theme}-host-db-1.png`, fullPage: true });
    await nav(page, 'Overview');
    await page.locator('.host-card', { hasText: 'web-1' }).locator('.card-open').click();
    const command = 'uname -a; df -h / | tail -1; for step in build test deploy; do echo "$step: ok"; sleep 0.2; done';
    await fetch(`${web.url('servercontrol', 'api')}exec`, { method: 'POST', headers: { Authorization: 'Bearer shot-exec' }, body: JSON.stringify({ cmd: command }) });
    await expect(page.locator('.terminal-state').first()).toContainText('exit', { timeout: 10_000 });
    await page.screenshot({ path: `${OUT}/${theme}-host-web-1-task.png`, fullPage: true });

    await nav(page, 'Overview');
    await page.locator('.host-card', { hasText: 'new-box' }).locator('.card-open').click();
    await page.screenshot({ path: `${OUT}/${theme}-host-new-box-detecting.png`, fullPage: true });

    await nav(page, 'Servers');
    const form = page.getByRole('form', { name: 'Add server' });
    await form.getByLabel('Address').fill(`127.0.0.1:${silentPort}`);
    await form.getByRole('button', { name: 'Detect', exact: true }).click();
    await expect(form.getByRole('button', { name: 'Add anyway — keep looking' })).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: `${OUT}/${theme}-add-server-keep-looking.png`, fullPage: true });
    await form.getByLabel('Address').fill('127.0.0.1');
    await form.getByRole('button', { name: 'Detect', exact: true }).click();
    await expect(form.getByRole('button', { name: 'Detect', exact: true })).toBeEnabled({ timeout: 15_000 });
    await page.screenshot({ path: `${OUT}/${theme}-add-server-bare-host.png`, fullPage: true });
    await form.getByLabel('Address').fill(new URL(settings.servers[2]!.endpoints[0]!.url).host);
    await form.getByRole('button', { name: 'Detect', exact: true }).click();
    await expect(form.getByLabel('SysMedic secret')).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: `${OUT}/${theme}-add-server-credentials.png`, fullPage: true });
    await form.getByLabel('Address').fill(settings.servers[3]!.endpoints[0]!.url);
    await form.getByRole('button', { name: 'Detect', exact: true }).click();
    await expect(form.locator('.found-list')).toBeVisible({ timeout: 15_000 });
    await page.screenshot({ path: `${OUT}/${theme}-add-server-detected.png`, fullPage: true });

    await nav(page, /^Alerts/);
    await page.screenshot({ path: `${OUT}/${theme}-alerts.png`, fullPage: true });
    await nav(page, 'Rules');
    await page.screenshot({ path: `${OUT}/${theme}-rules.png`, fullPage: true });
    await nav(page, 'Discovery');
    await page.getByRole('button', { name: 'Scan now' }).click();
    await expect(page.locator('.discovered').first()).toBeVisible({ timeout: 10_000 });
    await page.screenshot({ path: `${OUT}/${theme}-discovery.png`, fullPage: true });
  });
}
