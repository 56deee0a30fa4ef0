// The four sources read over HTTP, in Chromium, against the real Debian servers on loopback: each added
// through "Add server" by address, detected by the hub, its card live and its host page charting it. The
// page itself never reads them (they send no CORS headers): the hub polls them and streams what it read.

import { expect, test, type Page } from '@playwright/test';
import { PROTOCOLS, type PolledSourceId } from '../proto/protocols';
import { startGlances } from '../test-support/real-servers/glances';
import { startNetdata } from '../test-support/real-servers/netdata';
import { startNodeExporter } from '../test-support/real-servers/node-exporter';
import { startPrometheus } from '../test-support/real-servers/prometheus';
import type { RealServer } from '../test-support/real-servers/daemon';
import { addServer, Agents, dashboardUrl, expectLive, openOverview, type SpawnedAgent } from './browser-support';

const agents = new Agents();
const servers = new Map<PolledSourceId, RealServer>();
let dashboard: SpawnedAgent;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const [nodeExporter, glances, netdata] = await Promise.all([startNodeExporter(), startGlances(), startNetdata()]);
  servers.set('node-exporter', nodeExporter).set('glances', glances).set('netdata', netdata);
  servers.set('prometheus', await startPrometheus({ scrapeIntervalSeconds: 1, jobs: [{ name: 'node', targets: [`127.0.0.1:${nodeExporter.port}`] }] }));
});
test.beforeEach(async () => {
  dashboard = await agents.startDashboard('A (dashboard)');
});
test.afterEach(({}, testInfo) => agents.printLogsIfFailed(testInfo));
test.afterAll(async () => {
  await agents.stopAll();
  await Promise.all([...servers.values()].map((server) => server.stop()));
});

/** The host page charts the source's CPU, and its newest point moves. */
async function expectCharted(page: Page): Promise<void> {
  const cpuChart = page.locator('.chart-card', { hasText: 'CPU' }).first();
  await expect(cpuChart).toHaveAttribute('data-newest-ms', /\d+/, { timeout: 20_000 });
  const newest = Number(await cpuChart.getAttribute('data-newest-ms'));
  await expect.poll(async () => Number(await cpuChart.getAttribute('data-newest-ms')), { timeout: 20_000 }).toBeGreaterThan(newest);
}

const CASES: { id: PolledSourceId; address: (server: RealServer) => string }[] = [
  { id: 'node-exporter', address: (server) => `127.0.0.1:${server.port}` },
  { id: 'glances', address: (server) => `http://127.0.0.1:${server.port}/` },
  { id: 'netdata', address: (server) => `127.0.0.1:${server.port}` },
  { id: 'prometheus', address: (server) => `http://127.0.0.1:${server.port}/?job=node` },
];

for (const { id, address } of CASES) {
  test(`${PROTOCOLS[id].label} added by its address is detected, live on its card and charted on its page`, async ({ page }) => {
    test.setTimeout(90_000);
    const name = `Real ${PROTOCOLS[id].label}`;
    await page.goto(dashboardUrl(dashboard));
    await addServer(page, address(servers.get(id)!), name, PROTOCOLS[id].label);
    await openOverview(page);
    const card = page.locator('.host-card', { hasText: name });
    await expect(card).toHaveCount(1);
    await expect(card.locator('.status-badge')).not.toHaveText(/Offline|Connecting|Detecting/, { timeout: 20_000 });
    await expectLive(card);
    await card.locator('.card-open').click();
    await expect(page.locator('.protocol-badge').first()).toHaveText(PROTOCOLS[id].label);
    await expectCharted(page);
  });
}
