// The hub in Chromium: 300 reachable servers of two protocols (fakes on loopback, test-support/fake-fleet)
// handed over with --servers are all shown up, though a browser opens at most 255 WebSockets; then the hub
// is killed with kill -9 and started again on the same data dir, and a host's page still charts the
// minutes before the kill. And a server added in the page lives in the hub, credentials masked.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startFakeFleet, type FakeFleet } from '../test-support/fake-fleet';
import { addServer, Agents, expectLive, openOverview, protocolPort, setRules } from './browser-support';
import { freePort } from '../test-support/free-port';
import { spawnHub, tempDataDir, type SpawnedAgent } from '../test-support/test-agent';
import { toLocalInput } from '../src-renderer/state/time-format';

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

  // A span the user types: one it cannot chart says why; one around the kill charts those minutes from the disk.
  await page.getByRole('button', { name: 'Custom' }).click();
  const form = page.getByRole('form', { name: 'Custom time range' });
  await form.getByLabel('From').fill(toLocalInput(killedMs));
  await form.getByLabel('To').fill(toLocalInput(killedMs - 3 * 60_000));
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(form.getByRole('alert')).toHaveText('The end must come at least a minute after the start.');
  const fromMs = Math.floor((beforeKill - 60_000) / 60_000) * 60_000;
  await form.getByLabel('From').fill(toLocalInput(fromMs));
  await form.getByLabel('To').fill(toLocalInput(killedMs + 60_000));
  await form.getByRole('button', { name: 'Show' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByRole('button', { name: 'Custom' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => Number(await page.locator('.chart-card', { hasText: 'CPU' }).first().getAttribute('data-oldest-ms')), { timeout: 20_000 }).toBeLessThanOrEqual(beforeKill + 1000);
  expect(Number(await page.locator('.chart-card', { hasText: 'CPU' }).first().getAttribute('data-oldest-ms'))).toBeGreaterThanOrEqual(fromMs);
});

test('a server added in the page is detected and kept by the hub: the page opens no socket, a reload and a new hub still have it, and its token never comes back to a page', async ({ page }) => {
  test.setTimeout(120_000);
  const socktopToken = 'e2e-hub-socktop-token';
  const agents = new Agents();
  try {
    const agent = await agents.start('socktop', ['--socktop-token', socktopToken, '--no-gpu-usage', '--no-servercontrol', '--no-sysmedic', '--no-vstats', '--no-metrics']);
    const dir = tempDataDir();
    const port = String(await freePort());
    const args = ['--token', TOKEN, '--data-dir', dir, '--dashboard-port', port];
    const first = await spawnHub(args);
    hubs.push(first);
    const browserText: string[] = [];
    const sockets: string[] = [];
    page.on('console', (message) => browserText.push(message.text()));
    page.on('request', (request) => browserText.push(request.url()));
    page.on('websocket', (socket) => sockets.push(socket.url()));
    await page.goto(first.openInBrowser!);
    await addServer(page, `127.0.0.1:${protocolPort(agent, 'socktop')}`, 'Lab socktop', 'socktop', { kind: 'socktop token', value: socktopToken });
    await openOverview(page);
    await expectLive(page.locator('.host-card', { hasText: 'Lab socktop' }));

    expect(await first.stop('SIGTERM')).toBe(0);
    const second = await spawnHub(args);
    hubs.push(second);
    await page.reload();
    await expectLive(page.locator('.host-card', { hasText: 'Lab socktop' }));
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Servers' }).click();
    const row = page.locator('.server-row', { hasText: 'Lab socktop' });
    await expect(row).toBeVisible();
    // What the page was given back holds no token: the hub masks every endpoint it streams.
    const streamed = await page.evaluate(async () => new TextDecoder().decode((await (await fetch('/api/hub/stream')).body!.getReader().read()).value));
    expect(streamed).toContain('Lab socktop');
    expect(streamed).toContain('token=•••');
    expect(streamed).not.toContain(socktopToken);
    expect(await page.content()).not.toContain(socktopToken);
    // The hub detected and connected: the page opened no socket to any server, and no address or log line of
    // it carried the token.
    expect(sockets).toEqual([]);
    expect(browserText.filter((text) => text.includes(socktopToken))).toEqual([]);

    // Tagged by hand: a bad list says why and changes nothing; a good one reaches the card through the hub.
    await row.getByRole('button', { name: 'Edit' }).click();
    const form = row.getByRole('form', { name: 'Name and tags' });
    await form.getByLabel('Tags').fill(`lab, ${'x'.repeat(41)}`);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('alert')).toHaveText('Tags: a tag is at most 40 characters.');
    await form.getByLabel('Tags').fill('lab, socktop ,LAB');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(row.locator('.server-title .host-tag')).toHaveText(['lab', 'socktop']);
    await openOverview(page);
    await expect(page.locator('.host-card', { hasText: 'Lab socktop' }).locator('.host-tag')).toHaveText(['lab', 'socktop']);
  } finally {
    await agents.stopAll();
  }
});

test('the hub runs a rule set in the page, its alert reaches the page, and an acknowledgement survives a reload', async ({ page }) => {
  test.setTimeout(90_000);
  const agents = new Agents();
  try {
    const agent = await agents.start('servercontrol', ['--no-gpu-usage', '--no-socktop', '--no-sysmedic', '--no-vstats', '--no-metrics']);
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `127.0.0.1:${protocolPort(agent, 'servercontrol')} lab-1\n`);
    const hub = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir]);
    hubs.push(hub);
    await page.goto(hub.openInBrowser!);
    await expectLive(page.locator('.host-card', { hasText: 'lab-1' }));
    await setRules(page, { 'memory-high': 1 });
    await expect(page.getByText('Saved.')).toBeVisible();

    await expect(page.locator('.toast', { hasText: 'Memory' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: /^Alerts/ }).click();
    const alert = page.locator('.alert-item.is-active', { hasText: 'lab-1' }).filter({ hasText: 'Memory' });
    await expect(alert).toContainText('Firing');
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await expect(alert).toContainText('acknowledged');

    // The hub holds the rule and the acknowledgement: a fresh page has both.
    await page.reload();
    await expect(page.locator('.alert-item.is-active', { hasText: 'lab-1' }).filter({ hasText: 'Memory' })).toContainText('acknowledged');
    await expect(page.locator('.count-badge')).toHaveCount(0);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Rules' }).click();
    await expect(page.locator('[data-rule-id="memory-high"]').getByLabel('Above')).toHaveValue('1');
  } finally {
    await agents.stopAll();
  }
});

test('the fleet table: 300 hosts with only the rows in view drawn, sorted by a header, walked with the keyboard, filtered and grouped by tag, and kept across a reload', async ({ page }) => {
  test.setTimeout(150_000);
  const dir = tempDataDir();
  const serversFile = path.join(dir, 'servers.txt');
  // Tags from the file: each host is a GPU box or a web server, in one of three racks.
  writeFileSync(serversFile, fleet.hosts.map((host, index) => `${host.target} ${host.hostname} +${host.protocol === 'gpu-usage' ? 'gpu' : 'web'} +rack-${index % 3}`).join('\n'));
  const hub = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir]);
  hubs.push(hub);
  await page.goto(hub.openInBrowser!);
  await expect(page.getByTestId('hosts-up')).toHaveText('300', { timeout: 60_000 });
  await page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Table' }).click();

  const scroller = page.locator('.fleet-table-scroll');
  const rows = page.locator('.fleet-table tbody tr[data-index]');
  const nameAt = (index: number) => page.locator(`.fleet-table tbody tr[data-index="${index}"] .table-name`);
  await expect(scroller).toHaveAttribute('data-rows', '300');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(60);

  const header = (name: string) => page.locator('.fleet-table thead').getByRole('button', { name, exact: true });
  await header('Host').click();
  await expect(nameAt(0)).toHaveText('fake-gpu-usage-0001');
  await header('Host').click();
  await expect(nameAt(0)).toHaveText('fake-servercontrol-0150');
  await header('CPU').click();
  await expect(page.locator('.fleet-table th.col-cpu')).toHaveAttribute('aria-sort', 'descending');
  // One snapshot of the drawn rows' exact values (the figures are rounded): in 5 % buckets, busiest first.
  const cpuBuckets = (await page.locator('.fleet-table tbody tr[data-index] td:nth-child(3)').evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))))).map((value) => Math.floor(value / 5));
  expect(cpuBuckets.length).toBeGreaterThan(5);
  expect(cpuBuckets).toEqual([...cpuBuckets].sort((a, b) => b - a));

  await header('Host').click();
  await rows.first().focus();
  await page.keyboard.press('End');
  await expect(page.locator('.fleet-table tbody tr[data-index="299"]')).toBeFocused();
  expect(Number(await scroller.getAttribute('data-first-row'))).toBeGreaterThan(200);
  await page.keyboard.press('Home');
  await expect(page.locator('.fleet-table tbody tr[data-index="0"]')).toBeFocused();
  for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowDown');
  const chosen = (await nameAt(3).textContent())!;
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: chosen })).toBeVisible();

  await page.goBack();
  await expect(scroller).toBeVisible();
  await page.reload();
  await expect(page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Table' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('Filter hosts').fill('servercontrol-001');
  await expect(scroller).toHaveAttribute('data-rows', '10');

  await page.getByLabel('Filter hosts').fill('');
  await page.getByLabel('Show tag').selectOption('gpu');
  await expect(scroller).toHaveAttribute('data-rows', '150');
  await expect(nameAt(0)).toHaveText(/^fake-gpu-usage-/);
  await page.getByLabel('Show tag').selectOption('');
  await expect(scroller).toHaveAttribute('data-rows', '300');

  // Grouped: a header row per tag (gpu, rack-0..2, web), each host under each of its two tags.
  await page.getByRole('button', { name: 'Group by tag' }).click();
  await expect(scroller).toHaveAttribute('data-rows', String(5 + 600));
  const gpuGroup = page.locator('.fleet-table tr.group-row[data-group="gpu"]');
  await expect(gpuGroup).toContainText('150 hosts');
  const worst = (await gpuGroup.locator('.group-head').getAttribute('data-worst'))!;
  await expect(gpuGroup.locator('.group-state').first()).toHaveClass(new RegExp(`state-${worst}`));
  await gpuGroup.getByRole('button', { name: /gpu/ }).click();
  await expect(scroller).toHaveAttribute('data-rows', String(5 + 450));
  await expect(page.locator('.fleet-table tr.group-row[data-group="rack-0"]')).toHaveAttribute('data-index', '1');

  // The grouping and the folded group survive a reload; Enter on a group's row unfolds it.
  await page.reload();
  await expect(scroller).toHaveAttribute('data-rows', String(5 + 450), { timeout: 30_000 });
  await expect(gpuGroup.getByRole('button', { name: /gpu/ })).toHaveAttribute('aria-expanded', 'false');
  await gpuGroup.focus();
  await page.keyboard.press('Enter');
  await expect(gpuGroup.getByRole('button', { name: /gpu/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(scroller).toHaveAttribute('data-rows', String(5 + 600));
  await page.keyboard.press('ArrowDown');
  const first = (await nameAt(1).textContent())!;
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: first })).toBeVisible();
});

test('Add many: a pasted list of 20 servers is detected line by line, each of its 3 bad lines says its number and why, and the 16 found are added with their tags', async ({ page }) => {
  test.setTimeout(90_000);
  const hub = await spawnHub(['--token', TOKEN, '--data-dir', tempDataDir()]);
  hubs.push(hub);
  await page.goto(hub.openInBrowser!);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Servers' }).click();
  const silent = await freePort();
  const [first, , ...rest] = fleet.hosts;
  const gpuHost = rest.find((host) => host.protocol === 'gpu-usage')!;
  expect(first!.protocol).toBe('servercontrol');
  const more = rest.filter((host) => host !== gpuHost).slice(0, 14);
  const list = ['# the lab', `${first!.target} bulk-a +lab`, `${gpuHost.target} bulk-b +lab +gpu`, 'ftp://nope', `127.0.0.1:${silent} bulk-silent`, `${first!.target} again`, 'bad!host', ...more.map((host, index) => `${host.target} bulk-${index}`)];
  await page.getByLabel('Servers, one per line').fill(list.join('\n'));
  await page.getByRole('button', { name: 'Detect all' }).click();

  const state = (line: number) => page.locator(`.bulk-line[data-line="${line}"] .bulk-line-state`);
  await expect(page.locator('.bulk-progress')).toContainText('20 of 20 lines done · 16 found', { timeout: 60_000 });
  await expect(state(2)).toHaveText('found: ServerControl');
  await expect(state(3)).toHaveText('found: GPU usage stream');
  await expect(state(4)).toContainText('"ftp://" is not a monitoring URL');
  await expect(page.locator('.bulk-line[data-line="4"] .bulk-line-input')).toHaveText('ftp://nope');
  await expect(state(5)).toContainText('nothing answered');
  await expect(state(6)).toContainText('already on line 2');
  await expect(state(7)).toContainText('bad!host');
  await expect(page.locator('.bulk-line .bulk-line-state', { hasText: /^found/ })).toHaveCount(16);

  await page.getByRole('button', { name: 'Add 16 found' }).click();
  await expect(page.getByText('Added 16 servers.')).toBeVisible({ timeout: 30_000 });
  await expect(state(2)).toHaveText('added');
  await expect(state(21)).toHaveText('added');
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Overview' }).click();
  await expect(page.getByTestId('hosts-up')).toHaveText('16', { timeout: 30_000 });
  await expect(page.locator('.host-card', { hasText: 'bulk-a' }).locator('.host-tag')).toHaveText(['lab']);
  await expect(page.locator('.host-card', { hasText: 'bulk-b' }).locator('.host-tag')).toHaveText(['lab', 'gpu']);
});
