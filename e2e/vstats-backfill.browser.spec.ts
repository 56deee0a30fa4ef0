// vStats backfill in Chromium: an agent pushing itself (--vstats-push) to another agent's vStats hub, which
// the fleet hub watches, is cut off from it for two minutes (a TCP link the test cuts; both processes keep
// running). It keeps its readings meanwhile and backfills them when the link comes back; the host page,
// open the whole time, then charts the last five minutes with no gap, and shows the load and uptime the
// agent pushed.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { Agents, protocolPort } from './browser-support';
import { startCuttableLink, type CuttableLink } from '../test-support/cuttable-link';
import { spawnHub, tempDataDir, type SpawnedAgent } from '../test-support/test-agent';
import { serverId } from '../src-agent/hub/servers-file';

const TOKEN = 'e2e-backfill-token';
const OUTAGE_MS = 120_000;
const agents = new Agents();
let hub: SpawnedAgent | undefined;
let link: CuttableLink | undefined;

test.afterEach(({}, testInfo) => {
  agents.printLogsIfFailed(testInfo);
  if (testInfo.status !== testInfo.expectedStatus && hub) console.log(`---- hub (pid ${hub.child.pid}) log ----\n${hub.stderr.join('\n')}`);
});
test.afterAll(async () => {
  await hub?.stop('SIGTERM');
  await link?.close();
  await agents.stopAll();
});

test('an agent cut off from its vStats hub for two minutes backfills the gap: its 5-minute chart has none, and its load and uptime show', async ({ page }) => {
  test.setTimeout(OUTAGE_MS + 180_000);
  const vstatsHub = await agents.start('vStats hub', ['--vstats-token', TOKEN]);
  link = await startCuttableLink(protocolPort(vstatsHub, 'vstats'));
  await agents.start('pusher', ['--vstats-push', `ws://127.0.0.1:${link.port}/ws/agent?token=${TOKEN}`, '--vstats-server-id', 'pushed-b', '--vstats-interval', '1']);

  const dir = tempDataDir();
  const target = `ws://127.0.0.1:${protocolPort(vstatsHub, 'vstats')}/ws`;
  writeFileSync(path.join(dir, 'servers.txt'), `${target} vstats-hub\n`);
  hub = await spawnHub(['--servers', path.join(dir, 'servers.txt'), '--token', TOKEN, '--data-dir', dir]);
  await page.goto(hub.openInBrowser!);
  await expect(page.getByTestId('hosts-up')).toHaveText('2', { timeout: 30_000 });
  // The card of the pushed machine names its server id.
  const card = page.locator(`.host-card[data-host-key="${serverId(target)}/vstats:pushed-b"]`);
  await expect(card).toContainText('pushed-b');
  await card.locator('.card-open').click();
  const cpuChart = page.locator('.chart-card', { hasText: 'CPU' }).first();
  await expect(cpuChart).toHaveAttribute('data-oldest-ms', /\d+/, { timeout: 30_000 });
  await page.waitForTimeout(15_000);

  const cutAtMs = Date.now();
  link.cut();
  await page.waitForTimeout(OUTAGE_MS);
  link.restore();
  const restoredAtMs = Date.now();
  // Readings again (the agent retries with backoff, up to 30 s apart), then the backfill fills the two minutes between.
  const drawn = async (): Promise<{ oldestMs: number; newestMs: number; largestGapMs: number }> => ({
    oldestMs: Number(await cpuChart.getAttribute('data-oldest-ms')),
    newestMs: Number(await cpuChart.getAttribute('data-newest-ms')),
    largestGapMs: Number(await cpuChart.getAttribute('data-largest-gap-ms')),
  });
  await expect.poll(async () => (await drawn()).newestMs, { timeout: 60_000, message: 'a reading after the link is back' }).toBeGreaterThan(restoredAtMs);
  await expect.poll(async () => (await drawn()).largestGapMs, { timeout: 30_000, message: 'the widest stretch without a CPU point' }).toBeLessThanOrEqual(10_000);
  expect((await drawn()).oldestMs).toBeLessThan(cutAtMs - 10_000);

  await expect(page.locator('.chart-card', { hasText: 'Load (1 min)' })).toBeVisible();
  await expect(page.locator('.system-info dt', { hasText: 'Uptime' })).toBeVisible();
  await expect(page.locator('.system-info dt', { hasText: 'Kernel' })).toBeVisible();
});
