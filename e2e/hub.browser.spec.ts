// The hub in Chromium: 300 reachable servers of two protocols (fakes on loopback, test-support/fake-fleet)
// handed over with --servers are all shown up, though a browser opens at most 255 WebSockets; then the hub
// is killed with kill -9 and started again on the same data dir, and a host's page still charts the
// minutes before the kill.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeFleet, type FakeFleet } from '../test-support/fake-fleet';
import { freePort } from '../test-support/free-port';
import { spawnHub, tempDataDir, type SpawnedAgent } from '../test-support/test-agent';

const TOKEN = 'e2e-hub-token';
let fleet: FakeFleet;
const hubs: SpawnedAgent[] = [];

test.beforeAll(async () => {
  fleet = await startFakeFleet({ servercontrol: 150, 'gpu-usage': 150 });
});
test.afterEach(({}, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) for (const hub of hubs) console.log(`---- hub (pid ${hub.child.pid}) log ----\n${hub.stderr.join('\n')}`);
});
test.afterAll(async () => {
  await Promise.all(hubs.map((hub) => hub.stop('SIGKILL')));
  await fleet.close();
});

test('300 servers from --servers are all up in the dashboard, and a kill -9 loses none of their history', async ({ page }) => {
  test.setTimeout(180_000);
  const dir = tempDataDir();
  const serversFile = path.join(dir, 'servers.txt');
  writeFileSync(serversFile, ['# 300 fake machines on loopback', ...fleet.hosts.map((host) => `${host.target} ${host.hostname}`)].join('\n'));
  const port = String(await freePort());
  const args = ['--servers', serversFile, '--token', TOKEN, '--data-dir', dir, '--dashboard-port', port];
  const first = await spawnHub(args);
  hubs.push(first);

  await page.goto(first.openInBrowser!);
  await expect(page.getByTestId('hosts-total')).toHaveText('300', { timeout: 60_000 });
  await expect(page.getByTestId('hosts-up')).toHaveText('300', { timeout: 60_000 });
  expect(fleet.connections()).toBe(300);

  const host = fleet.hosts[0]!;
  await page.getByRole('button', { name: `Open ${host.hostname}`, exact: true }).click();
  const cpuChart = page.locator('.chart-card', { hasText: 'CPU' }).first();
  await expect(cpuChart).toHaveAttribute('data-oldest-ms', /\d+/);
  // Some seconds of readings, then the hub dies without a chance to write anything more.
  await page.waitForTimeout(8000);
  const beforeKill = Number(await cpuChart.getAttribute('data-oldest-ms'));
  expect(await first.stop('SIGKILL')).toBe('SIGKILL');
  const killedMs = Date.now();

  const second = await spawnHub(args);
  hubs.push(second);
  // The same address (the host's page), the same token in its cookie: a reload reaches the new hub.
  await page.reload();
  await expect(page.getByRole('heading', { name: host.hostname })).toBeVisible({ timeout: 30_000 });
  // The host's page after the restart charts from before the kill: those points came from the disk.
  await expect.poll(async () => Number(await page.locator('.chart-card', { hasText: 'CPU' }).first().getAttribute('data-oldest-ms')), { timeout: 20_000 }).toBeLessThanOrEqual(beforeKill + 1000);
  expect(beforeKill).toBeLessThan(killedMs - 5000);
});
