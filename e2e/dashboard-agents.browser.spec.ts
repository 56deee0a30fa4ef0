// The web dashboard against agents that come and go: a vStats hub with two pushed agents, an agent killed
// and restarted on the same port, and the agent token taken from the address bar or asked for.

import { expect, test } from '@playwright/test';
import { addServer, Agents, dashboardUrl, expectLive, openOverview, protocolPort } from './browser-support';

const agents = new Agents();
const ONLY_VSTATS = ['--no-gpu-usage', '--no-servercontrol', '--no-socktop', '--no-sysmedic', '--no-metrics'];
const ONLY_SERVERCONTROL = ['--no-gpu-usage', '--no-socktop', '--no-sysmedic', '--no-vstats', '--no-metrics'];

test.afterEach(async ({}, testInfo) => {
  agents.printLogsIfFailed(testInfo);
  await agents.stopAll();
});

test('a vStats hub with two pushed agents shows two hosts', async ({ page }) => {
  const hub = await agents.start('hub', [...ONLY_VSTATS, '--vstats-token', 'e2e-hub', '--vstats-interval', '1']);
  const push = `ws://127.0.0.1:${protocolPort(hub, 'vstats')}/ws/agent?token=e2e-hub`;
  await agents.start('pusher 1', [...ONLY_VSTATS, '--vstats-push', push, '--vstats-server-id', 'e2e-pushed-1', '--vstats-interval', '1']);
  await agents.start('pusher 2', [...ONLY_VSTATS, '--vstats-push', push, '--vstats-server-id', 'e2e-pushed-2', '--vstats-interval', '1']);
  const dashboard = await agents.startDashboard('dashboard');

  await page.goto(dashboardUrl(dashboard));
  await addServer(page, `127.0.0.1:${protocolPort(hub, 'vstats')}`, 'Lab hub', 'vStats');
  await openOverview(page);
  for (const id of ['e2e-pushed-1', 'e2e-pushed-2']) {
    const card = page.locator(`.host-card[data-host-key$="/vstats:${id}"]`);
    await expect(card).toContainText('Lab hub');
    await expect(card.locator('.status-badge')).not.toHaveText(/Offline|Connecting/, { timeout: 15_000 });
    await expectLive(card);
  }
});

test('the page survives an agent being killed and reconnects when it returns', async ({ page }) => {
  test.setTimeout(90_000);
  const watched = await agents.start('watched', ONLY_SERVERCONTROL);
  const port = protocolPort(watched, 'servercontrol');
  const dashboard = await agents.startDashboard('dashboard');

  await page.goto(dashboardUrl(dashboard));
  await addServer(page, `127.0.0.1:${port}`, 'Comes and goes', 'ServerControl');
  await openOverview(page);
  const card = page.locator('.host-card', { hasText: 'Comes and goes' });
  await expectLive(card);

  await watched.stop('SIGKILL');
  await expect(card.locator('.status-badge')).toHaveText('Offline', { timeout: 15_000 });
  await expect(card.locator('.card-status-text')).toContainText('Retrying');
  await expect(page.getByTestId('hosts-down')).toHaveText('1');
  // The rest of the page still works while the agent is gone.
  await expectLive(page.locator('.host-card', { hasText: 'This computer' }));

  await agents.start('watched, restarted', [...ONLY_SERVERCONTROL, '--hostname', 'e2e-watched', '--servercontrol-port', String(port)]);
  await expect(card.locator('.status-badge')).not.toHaveText('Offline', { timeout: 40_000 });
  await expectLive(card);
  await expect(page.getByTestId('hosts-down')).toHaveText('0');
});

test('a ServerControl task streams its output into the host page like a terminal', async ({ page }) => {
  const runner = await agents.start('runner', [...ONLY_SERVERCONTROL, '--allow-exec', '--token', 'e2e-exec']);
  const dashboard = await agents.startDashboard('dashboard');
  await page.goto(dashboardUrl(dashboard));
  await addServer(page, `127.0.0.1:${protocolPort(runner, 'servercontrol')}`, 'Task runner', 'ServerControl');
  await openOverview(page);
  await page.locator('.host-card', { hasText: 'Task runner' }).locator('.card-open').click();
  await expect(page.getByRole('heading', { name: 'Tasks' })).toBeVisible();

  const command = 'for i in 1 2 3; do echo line-$i; sleep 0.3; done';
  const answer = await fetch(`${runner.url('servercontrol', 'api')}exec`, { method: 'POST', headers: { Authorization: 'Bearer e2e-exec', 'Content-Type': 'application/json' }, body: JSON.stringify({ cmd: command }) });
  expect(answer.status).toBe(200);
  const terminal = page.locator('.terminal', { hasText: command });
  await expect(terminal.locator('.terminal-output')).toContainText('line-1');
  await expect(terminal.locator('.terminal-output')).toHaveText(/line-1\s+line-2\s+line-3/);
  await expect(terminal.locator('.terminal-state')).toContainText('exit 0');
});

test('the agent token is taken from the address once, and asked for when missing', async ({ browser }) => {
  const guarded = await agents.startDashboard('guarded', [], ['--token', 'e2e-admin-token']);
  const first = await browser.newPage();
  await first.goto(`${guarded.url('hub')}?token=e2e-admin-token`);
  await expect(first).not.toHaveURL(/token=/);
  await expectLive(first.locator('.host-card', { hasText: 'This computer' }));
  await first.reload();
  await expectLive(first.locator('.host-card', { hasText: 'This computer' }));
  await first.close();

  const second = await browser.newPage();
  await second.goto(guarded.url('hub'));
  const prompt = second.getByRole('dialog', { name: 'This agent needs its token' });
  await expect(prompt).toBeVisible();
  await prompt.getByLabel('Agent token').fill('wrong');
  await prompt.getByRole('button', { name: 'Connect' }).click();
  await expect(second.getByRole('dialog', { name: 'The agent refused that token' })).toBeVisible();
  await second.getByLabel('Agent token').fill('e2e-admin-token');
  await second.getByRole('button', { name: 'Connect' }).click();
  await expect(second.getByRole('dialog')).toHaveCount(0);
  await expectLive(second.locator('.host-card', { hasText: 'This computer' }));
  await second.close();
});

test('every page and host has an address: Back returns, a reload stays, a host can be opened from its address', async ({ page }) => {
  const dashboard = await agents.startDashboard('dashboard');
  await page.goto(dashboardUrl(dashboard));
  const thisComputer = page.locator('.host-card', { hasText: 'This computer' });
  await expectLive(thisComputer);
  // Opening the dashboard is one history entry (after the blank tab), whatever address it settles on.
  expect(await page.evaluate(() => (globalThis as unknown as { history: { length: number } }).history.length)).toBe(2);
  await expect(page).toHaveURL(/#\/overview$/);
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await nav.getByRole('button', { name: 'Servers' }).click();
  await expect(page).toHaveURL(/#\/servers$/);
  await nav.getByRole('button', { name: 'Overview' }).click();
  await thisComputer.locator('.card-open').click();
  await expect(page).toHaveURL(/#\/host\/local$/);
  await expect(page.locator('.host-detail .local-tag')).toHaveText('This computer');

  await page.reload();
  await expect(page.locator('.host-detail .local-tag')).toHaveText('This computer');
  await page.goBack();
  await expect(page).toHaveURL(/#\/overview$/);
  await expect(thisComputer).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('form', { name: 'Add server' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/#\/overview$/);

  const hostAddress = page.url().replace(/#.*$/, '#/host/local');
  const fresh = await page.context().newPage();
  await fresh.goto(hostAddress);
  await expect(fresh.locator('.host-detail .local-tag')).toHaveText('This computer');
  await expect(fresh.locator('.host-detail h1')).toBeVisible();
  await fresh.close();
});
