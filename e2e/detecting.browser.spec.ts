// The web dashboard with a server added before it runs: "Add anyway — keep looking" on an address where
// nothing answers yet, the server list and the card saying it is being detected, and the card going live
// once an agent starts on that port. What was found is saved, so a reload reads it without detecting.

import net from 'node:net';
import { expect, test } from '@playwright/test';
import { freePort } from '../test-support/free-port';
import { Agents, dashboardUrl, expectLive, openOverview } from './browser-support';

const agents = new Agents();
const ONLY_SERVERCONTROL = ['--no-gpu-usage', '--no-socktop', '--no-sysmedic', '--no-vstats', '--no-metrics'];

test.afterEach(async ({}, testInfo) => {
  agents.printLogsIfFailed(testInfo);
  await agents.stopAll();
});

test('a server added before it runs is detected once it starts, and its numbers move', async ({ page }) => {
  test.setTimeout(90_000);
  const dashboard = await agents.startDashboard('dashboard');
  const port = await freePort();
  await page.goto(dashboardUrl(dashboard));

  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Servers' }).click();
  const form = page.getByRole('form', { name: 'Add server' });
  await form.getByLabel('Address').fill(`127.0.0.1:${port}`);
  await form.getByLabel('Name (optional)').fill('Starts later');
  await form.getByRole('button', { name: 'Detect', exact: true }).click();
  await expect(form.locator('.keep-looking')).toContainText('connects as soon as the server answers');
  await form.getByRole('button', { name: 'Add anyway — keep looking' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Added Starts later\. FleetWatch keeps looking and connects when it answers\./ })).toBeVisible();

  const row = page.locator('.server-row', { hasText: 'Starts later' });
  await expect(row.locator('.server-status')).toContainText(`Nothing answered on port ${port}; trying again in`);
  await expect(row.locator('.protocol-badge')).toHaveText('not detected yet');
  await openOverview(page);
  const card = page.locator('.host-card', { hasText: 'Starts later' });
  await expect(card.locator('.status-badge')).toHaveText('Detecting');
  // Its own mark, the summary's "connecting" spinner: the offline mark would say it is down.
  await expect(card.locator('.status-badge .spinner')).toBeVisible();
  await expect(card.locator('.status-badge .status-icon')).toHaveCount(0);
  await expect(card.locator('.card-status-text')).toContainText(`Nothing answered on port ${port}`);
  await expect(card.locator('.protocol-badge')).toHaveText('not detected yet');

  await agents.start('started later', [...ONLY_SERVERCONTROL, '--servercontrol-port', String(port)]);
  await expect(card.locator('.status-badge')).not.toHaveText(/Detecting|Connecting|Offline/, { timeout: 40_000 });
  await expect(card.locator('.protocol-badge')).toHaveText('ServerControl');
  await expectLive(card);

  await page.reload();
  await expectLive(page.locator('.host-card', { hasText: 'Starts later' }));
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Servers' }).click();
  await expect(page.locator('.server-row', { hasText: 'Starts later' }).locator('.protocol-badge')).toHaveText('ServerControl');
});

test('detection in the hub shows each try while it runs, not only at the end', async ({ page }) => {
  test.setTimeout(60_000);
  // Accepts and never answers: every protocol's try waits for its own timeout.
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const dashboard = await agents.startDashboard('dashboard');
    await page.goto(dashboardUrl(dashboard));
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Servers' }).click();
    const form = page.getByRole('form', { name: 'Add server' });
    await form.getByLabel('Address').fill(`127.0.0.1:${(silent.address() as net.AddressInfo).port}`);
    await form.getByRole('button', { name: 'Detect', exact: true }).click();
    await expect(form.getByText('trying…').first()).toBeVisible({ timeout: 10_000 });
    await expect(form.locator('.keep-looking')).toBeVisible({ timeout: 30_000 });
    await expect(form.getByText('trying…')).toHaveCount(0);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

