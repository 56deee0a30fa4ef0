// Shared steps of the web-dashboard specs: starting built agents (discovery always on loopback), printing
// their logs when a spec fails, and driving "Add server" the way a person does.

import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { ProtocolId } from '../proto/protocols';
import { LOCAL_AGENT_ENV } from '../src-agent/hub/local-agent';
import { spawnAgent, spawnHub, type SpawnedAgent } from '../test-support/test-agent';

export { spawnAgent, type SpawnedAgent };

/** Every agent a spec started, so its logs can be printed when the spec fails and it can be stopped. */
export class Agents {
  private readonly started: { name: string; agent: SpawnedAgent }[] = [];

  /**
   * Each agent reports a hostname of its own (`e2e-<name>`): agents on one machine are one machine to a
   * dashboard (fleet/same-machine.ts), and a spec watching several of them means them as several hosts.
   */
  async start(name: string, args: string[], options: { gpus?: boolean } = {}): Promise<SpawnedAgent> {
    const hostname = args.includes('--hostname') ? [] : ['--hostname', `e2e-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`];
    const agent = await spawnAgent([...hostname, ...args], { env: { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' }, ...(options.gpus ? { gpus: true } : {}) });
    this.started.push({ name, agent });
    return agent;
  }

  /**
   * The dashboard as `npm start` serves it: an agent for this computer (no dashboard of its own) and the
   * hub beside it, told of the agent's endpoints. Returns the hub, whose page is the dashboard.
   */
  async startDashboard(name: string, agentArgs: string[] = [], hubArgs: string[] = [], agentOptions: { gpus?: boolean } = {}): Promise<SpawnedAgent> {
    const agent = await this.start(`${name}: this computer`, [...agentArgs], agentOptions);
    const hub = await spawnHub(hubArgs, { env: { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1', [LOCAL_AGENT_ENV]: JSON.stringify(agent.connect) } });
    this.started.push({ name: `${name}: hub`, agent: hub });
    return hub;
  }

  printLogsIfFailed(testInfo: TestInfo): void {
    if (testInfo.status === testInfo.expectedStatus) return;
    for (const { name, agent } of this.started) console.log(`---- agent ${name} (pid ${agent.child.pid}) log ----\n${agent.stderr.join('\n')}`);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map(({ agent }) => agent.stop()));
  }
}

/** The address the agent printed for its dashboard, token included, as a person would open it. */
export function dashboardUrl(agent: SpawnedAgent): string {
  if (!agent.openInBrowser) throw new Error(`the agent reported no dashboard to open: ${JSON.stringify(agent.endpoints)}`);
  return agent.openInBrowser;
}

/** The port an agent serves a protocol on, from its ready-to-connect endpoints. */
export function protocolPort(agent: SpawnedAgent, protocol: ProtocolId): number {
  const endpoint = agent.connect.find((candidate) => candidate.protocol === protocol);
  if (!endpoint) throw new Error(`the agent serves no ${protocol}: ${JSON.stringify(agent.connect)}`);
  return Number(new URL(endpoint.url).port);
}

export function udpPort(agent: SpawnedAgent, owner: string): number {
  const endpoint = agent.endpoints.find((candidate) => candidate.owner === owner && candidate.kind === 'udp');
  if (!endpoint) throw new Error(`no UDP endpoint of ${owner}`);
  return endpoint.port;
}

export interface Credential {
  kind: 'SysMedic secret' | 'socktop token';
  value: string;
}

/** Types an address into "Add server", answers the credential prompt if asked, and saves what was detected. */
export async function addServer(page: Page, address: string, name: string, expectLabel: string, credential?: Credential): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Servers' }).click();
  const form = page.getByRole('form', { name: 'Add server' });
  await form.getByLabel('Address').fill(address);
  await form.getByLabel('Name (optional)').fill(name);
  await form.getByRole('button', { name: 'Detect', exact: true }).click();
  if (credential) {
    await form.getByLabel(credential.kind).fill(credential.value);
    await form.getByRole('button', { name: 'Detect again' }).click();
  }
  const found = form.locator('.found-list');
  await expect(found).toContainText(expectLabel);
  await form.getByRole('button', { name: /^Add server/ }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Added / })).toBeVisible();
}

/** Sets rules on the Rules page as a person does (a threshold, no delay) and saves them. */
export async function setRules(page: Page, thresholds: Record<string, number>): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Rules' }).click();
  for (const [id, threshold] of Object.entries(thresholds)) {
    const rule = page.locator(`[data-rule-id="${id}"]`);
    await rule.getByLabel('Above').fill(String(threshold));
    await rule.getByLabel('For').fill('0');
  }
  await page.getByRole('button', { name: 'Save rules' }).click();
}

export async function openOverview(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Overview' }).click();
}

/** Waits until a card shows a reading newer than the one it showed first: its numbers are moving. */
export async function expectLive(card: Locator): Promise<void> {
  // A card far down the overview shows its figures once scrolled near, as a user would.
  await card.scrollIntoViewIfNeeded();
  const figures = card.locator('[data-sample-ms]');
  await expect(figures).toHaveAttribute('data-sample-ms', /\d+/, { timeout: 15_000 });
  const first = Number(await figures.getAttribute('data-sample-ms'));
  await expect.poll(async () => Number(await figures.getAttribute('data-sample-ms')), { timeout: 15_000 }).toBeGreaterThan(first);
  await expect(card.locator('.metric-value').first()).toHaveText(/^\d+\.\d %$/);
}
