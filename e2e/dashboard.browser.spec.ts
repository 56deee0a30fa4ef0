// The web dashboard in Chromium against real agents: every protocol added through the UI, LAN discovery,
// and an alert rule. Agent B serves all five protocols on ephemeral ports (socktop with a token, SysMedic
// with its secret); dashboard A (an agent and its hub, as `npm start` runs them) scans B's discovery port.
// Each spec gets a new hub and a fresh page, so none depends on another.

import { expect, test } from '@playwright/test';
import { PROTOCOLS, type ProtocolId } from '../proto/protocols';
import { addServer, Agents, dashboardUrl, expectLive, openOverview, protocolPort, setRules, udpPort, type Credential, type SpawnedAgent } from './browser-support';

const agents = new Agents();
let serving: SpawnedAgent;
let all: SpawnedAgent;

const SOCKTOP_TOKEN = 'e2e-socktop-token';

test.beforeAll(async () => {
  all = await agents.start('B (all protocols)', ['--socktop-token', SOCKTOP_TOKEN, '--gpu-usage-interval', '1', '--sysmedic-interval', '1', '--vstats-interval', '1'], { gpus: true });
});
// A hub keeps its servers and alerts: each spec starts from a new one, as a new user would.
test.beforeEach(async () => {
  serving = await agents.startDashboard('A (dashboard)', [], ['--dashboard-scan-ports', String(udpPort(all, 'servercontrol'))]);
});
test.afterEach(({}, testInfo) => agents.printLogsIfFailed(testInfo));
test.afterAll(() => agents.stopAll());

function sysmedicSecret(agent: SpawnedAgent = all): string {
  const url = agent.connect.find((endpoint) => endpoint.protocol === 'sysmedic')!.url;
  return new URL(url).searchParams.get('secret')!;
}

test('each protocol added through the UI is detected and its numbers move, and the one machine behind all five shows once', async ({ page }) => {
  test.setTimeout(150_000);
  // A machine of its own address: 127.0.0.1 holds every agent of these specs, and a server that sends no
  // hostname (SysMedic) is known by its address only when that address is one machine's.
  const own = await agents.start('C (one machine)', ['--host', '127.0.0.2', '--socktop-token', SOCKTOP_TOKEN, '--gpu-usage-interval', '1', '--sysmedic-interval', '1', '--vstats-interval', '1'], { gpus: true });
  await page.goto(dashboardUrl(serving));
  const thisComputer = page.locator('.host-card', { hasText: 'This computer' });
  await expectLive(thisComputer);

  const cases: { protocol: ProtocolId; address: string; credential?: Credential }[] = [
    { protocol: 'gpu-usage', address: `127.0.0.2:${protocolPort(own, 'gpu-usage')}` },
    { protocol: 'servercontrol', address: `ws://127.0.0.2:${protocolPort(own, 'servercontrol')}/` },
    { protocol: 'socktop', address: `127.0.0.2:${protocolPort(own, 'socktop')}`, credential: { kind: 'socktop token', value: SOCKTOP_TOKEN } },
    { protocol: 'vstats', address: `http://127.0.0.2:${protocolPort(own, 'vstats')}` },
    { protocol: 'sysmedic', address: `127.0.0.2:${protocolPort(own, 'sysmedic')}`, credential: { kind: 'SysMedic secret', value: sysmedicSecret(own) } },
  ];
  for (const { protocol, address, credential } of cases) await addServer(page, address, `C ${protocol}`, PROTOCOLS[protocol].label, credential);
  await openOverview(page);
  // Five servers, one machine (the same hostname, booted at the same moment or at the same address): one
  // card, the first added, beside This computer.
  await expect(page.getByTestId('hosts-total')).toHaveText('2', { timeout: 30_000 });
  await expect(page.getByTestId('hosts-down')).toHaveText('0');
  const card = page.locator('.host-card', { hasText: 'C gpu-usage' });
  await expectLive(card);
  await card.locator('.card-open').click();
  const same = page.locator('.same-machine li');
  await expect(same).toHaveCount(4);

  // Each of the others is still read and charted on its own page, through its own protocol.
  for (const { protocol } of cases.slice(1)) {
    const entry = same.filter({ hasText: `C ${protocol}` });
    await expect(entry.locator('.protocol-badge')).toHaveText(PROTOCOLS[protocol].label);
    // A hub's hosts are named by the hub: the list names the server beside it.
    await entry.getByRole('button').click();
    await expect(page.locator('.same-machine-note')).toContainText('The overview shows this machine as C gpu-usage');
    const cpuChart = page.locator('.chart-card', { hasText: 'CPU' }).first();
    await expect(cpuChart).toHaveAttribute('data-newest-ms', /\d+/, { timeout: 15_000 });
    const newest = Number(await cpuChart.getAttribute('data-newest-ms'));
    await expect.poll(async () => Number(await cpuChart.getAttribute('data-newest-ms')), { timeout: 15_000 }).toBeGreaterThan(newest);
    await page.goBack();
  }
});

test('a discovery scan lists the other agent, and Add adds every protocol it advertises', async ({ page }) => {
  await page.goto(dashboardUrl(serving));
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Discovery' }).click();
  await page.getByRole('button', { name: 'Scan now' }).click();
  const found = page.locator('.discovered[data-address="127.0.0.1"]');
  await expect(found).toBeVisible();
  await expect(found).toContainText('FleetWatch agent');
  for (const protocol of ['servercontrol', 'gpu-usage', 'socktop', 'vstats', 'sysmedic'] as const) await expect(found.locator('.protocol-badge')).toContainText([PROTOCOLS[protocol].label]);
  const hostname = (await found.locator('strong').textContent()) ?? '';
  await found.getByRole('button', { name: /^Add/ }).click();
  // Its SysMedic and socktop want a secret and a token: asked for before anything is saved.
  const credentials = found.getByRole('form', { name: `Credentials for ${hostname}` });
  await credentials.getByLabel('SysMedic secret').fill(sysmedicSecret());
  await credentials.getByLabel('socktop token').fill(SOCKTOP_TOKEN);
  await credentials.getByRole('button', { name: /^Add/ }).click();
  await expect(found.getByText('Added')).toBeVisible();

  await openOverview(page);
  const card = page.locator('.host-card').filter({ has: page.locator('.protocol-badge', { hasText: 'ServerControl' }) }).filter({ hasText: hostname });
  await expectLive(card.first());
  // Every protocol connected with what was given: no card says one was refused.
  await expect(card.first().locator('.card-status-text')).not.toContainText(/SysMedic:|socktop:/);
});

test('a discovered host added without its secret says on its card which protocol was refused', async ({ page }) => {
  await page.goto(dashboardUrl(serving));
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Discovery' }).click();
  await page.getByRole('button', { name: 'Scan now' }).click();
  const found = page.locator('.discovered[data-address="127.0.0.1"]');
  const hostname = (await found.locator('strong').textContent()) ?? '';
  await found.getByRole('button', { name: /^Add/ }).click();
  await found.getByRole('form', { name: `Credentials for ${hostname}` }).getByRole('button', { name: /^Add/ }).click();
  await expect(found.getByText('Added')).toBeVisible();

  await openOverview(page);
  const card = page.locator('.host-card').filter({ has: page.locator('.protocol-badge', { hasText: 'ServerControl' }) }).filter({ hasText: hostname }).first();
  await expectLive(card);
  await expect(card.locator('.card-status-text')).toHaveClass(/is-problem/, { timeout: 20_000 });
  await expect(card.locator('.card-status-text')).toContainText(/^(SysMedic|socktop): /);
});

test('an alert rule with a low threshold raises an alert that can be acknowledged', async ({ page }) => {
  await page.goto(dashboardUrl(serving));
  await expectLive(page.locator('.host-card', { hasText: 'This computer' }));
  await setRules(page, { 'memory-high': 1 });
  await expect(page.getByText('Saved.')).toBeVisible();

  await expect(page.locator('.toast', { hasText: 'Memory' })).toBeVisible();
  await expect(page.locator('.count-badge')).toHaveText(/^[1-9]\d*$/);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /^Alerts/ }).click();
  const alert = page.locator('.alert-item.is-active', { hasText: 'This computer' }).filter({ hasText: 'Memory' });
  await expect(alert).toContainText('Firing');
  await alert.getByRole('button', { name: 'Acknowledge' }).click();
  await expect(alert).toContainText('acknowledged');
  await expect(page.locator('.count-badge')).toHaveCount(0);

  await openOverview(page);
  // A warning-level alert: the host is in Warning, counted there, not as Alert.
  await expect(page.getByTestId('hosts-warning')).not.toHaveText('0');
  await expect(page.locator('.host-card', { hasText: 'This computer' }).locator('.status-badge')).toHaveText('Warning');
});

test('new alerts show as one summary line that covers no control, and it leads to the Alerts page', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(dashboardUrl(serving));
  await expectLive(page.locator('.host-card', { hasText: 'This computer' }));
  await setRules(page, { 'memory-high': 0, 'cpu-high': 0 });

  const summary = page.getByRole('status', { name: 'New alerts' });
  await expect(summary.getByRole('button', { name: '1 more new alert' })).toBeVisible();
  await expect(page.locator('.toast')).toHaveCount(1);
  await openOverview(page);
  const covered = await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getBoundingClientRect(): DOMRectLike; contains(n: unknown): boolean }; querySelectorAll(s: string): Iterable<{ getBoundingClientRect(): DOMRectLike; outerHTML: string }> } }).document;
    type DOMRectLike = { left: number; right: number; top: number; bottom: number };
    const toast = doc.querySelector('.toast');
    const box = toast.getBoundingClientRect();
    return [...doc.querySelectorAll('button, input, select, a')]
      .filter((control) => !toast.contains(control))
      .filter((control) => {
        const other = control.getBoundingClientRect();
        return other.left < box.right && other.right > box.left && other.top < box.bottom && other.bottom > box.top;
      })
      .map((control) => control.outerHTML.slice(0, 80));
  });
  expect(covered).toEqual([]);
  await summary.getByRole('button', { name: '1 more new alert' }).click();
  await expect(page).toHaveURL(/#\/alerts$/);
  await expect(page.locator('.alert-item.is-active')).toHaveCount(2);
});
