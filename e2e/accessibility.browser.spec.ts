// Every page of the dashboard through axe-core (WCAG 2.1 A and AA rules) in both themes, with hosts in
// several states: no serious or critical violation. The fleet is this computer (GPUs from the fake
// nvidia-smi), one server per protocol of a second agent (tagged, so the overview groups them; one machine,
// so it shows once and its page lists the others), one that refuses its credentials and one that never answers.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { freePort } from '../test-support/free-port';
import { tempDataDir } from '../test-support/test-agent';
import { Agents, dashboardUrl, udpPort, type SpawnedAgent } from './browser-support';

const agents = new Agents();
let dashboard: SpawnedAgent;

test.describe.configure({ timeout: 120_000 });

test.beforeAll(async () => {
  const other = await agents.start('watched', ['--gpu-usage-interval', '1', '--sysmedic-interval', '1', '--vstats-interval', '1'], { gpus: true });
  // In a fixed order, so the machine shows as its first server: gpu-usage-box.
  const order = ['gpu-usage', 'servercontrol', 'socktop', 'sysmedic', 'vstats'];
  const lines = [...other.connect].sort((a, b) => order.indexOf(a.protocol) - order.indexOf(b.protocol)).map((endpoint, index) => `${endpoint.url} ${endpoint.protocol}-box +${index % 2 === 0 ? 'lab' : 'rack-1'}`);
  const refused = other.connect.find((endpoint) => endpoint.protocol === 'sysmedic')!.url.replace(/secret=[^&]*/, 'secret=wrong');
  const dir = tempDataDir();
  const serversFile = path.join(dir, 'servers.txt');
  writeFileSync(serversFile, [...lines, `${refused} refused-box`, `ws://127.0.0.1:${await freePort()}/ silent-box`].join('\n'));
  dashboard = await agents.startDashboard('dashboard', [], ['--servers', serversFile, '--data-dir', dir, '--dashboard-scan-ports', String(udpPort(other, 'servercontrol'))], { gpus: true });
});
test.afterEach(({}, testInfo) => agents.printLogsIfFailed(testInfo));
test.afterAll(() => agents.stopAll());

/** Serious and critical violations, one line each with the first elements they were found on. */
async function violations(page: Page, where: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.impact}) ${violation.help}: ${violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ')}`);
}

const nav = (page: Page, name: RegExp | string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name }).click();

for (const theme of ['light', 'dark'] as const) {
  test(`every page passes axe-core in the ${theme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(dashboardUrl(dashboard));
    // This computer and the second agent's servers as one machine each. Its SysMedic server sends no
    // hostname and goes with This computer, reached at the same address and booted at the same moment (the
    // agents here all run on one machine): refused-box and silent-box make four.
    await expect(page.getByTestId('hosts-up')).toHaveText('2', { timeout: 30_000 });
    await expect(page.getByTestId('hosts-total')).toHaveText('4', { timeout: 30_000 });
    // Sparklines with a few points, and the refused and silent hosts settled in their states.
    await page.waitForTimeout(4000);
    const found: string[] = [];
    found.push(...(await violations(page, 'Overview, cards')));

    await page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Table' }).click();
    await expect(page.locator('.fleet-table tbody tr[data-index]').first()).toBeVisible();
    found.push(...(await violations(page, 'Overview, table')));
    await page.getByRole('button', { name: 'Group by tag' }).click();
    await page.locator('.group-row[data-group="lab"] .group-toggle').click();
    found.push(...(await violations(page, 'Overview, table by tag')));
    await page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Cards' }).click();
    found.push(...(await violations(page, 'Overview, cards by tag')));
    await page.getByRole('button', { name: 'Group by tag' }).click();

    await page.getByRole('button', { name: 'Open gpu-usage-box', exact: true }).click();
    await page.locator('.same-machine').getByRole('button', { name: 'socktop-box' }).click();
    await expect(page.getByRole('heading', { name: 'socktop-box' })).toBeVisible();
    await expect(page.locator('.processes tbody tr').first()).toBeVisible({ timeout: 15_000 });
    found.push(...(await violations(page, 'host page')));

    await nav(page, /^Alerts/);
    found.push(...(await violations(page, 'Alerts')));
    await nav(page, 'Servers');
    found.push(...(await violations(page, 'Servers')));
    await nav(page, 'Rules');
    found.push(...(await violations(page, 'Rules')));
    await nav(page, 'Discovery');
    await page.getByRole('button', { name: 'Scan now' }).click();
    await expect(page.locator('.discovered').first()).toBeVisible({ timeout: 10_000 });
    found.push(...(await violations(page, 'Discovery')));

    expect(found, found.join('\n')).toEqual([]);
  });
}
