// The app store end to end under Node: a real agent, the real built hub (`npm run build` first) watching it,
// the hub's link as a page has it, and an in-memory Platform that records what the UI asks of its shell
// (notifications, the tray's fleet snapshot).

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test-support/free-port';
import { spawnHub, startTestAgent, tempDataDir, type SpawnedAgent, type TestAgent } from '../../test-support/test-agent';
import type { AppNotification, DiscoveryState, FleetSnapshot, HubLink, LoadedSettings, LocalAgentStatus, Platform } from '../platform/platform';
import { defaultSettings, type Settings } from '../platform/settings';
import { createHubLink } from '../platform/web';
import { DashboardApi, TOKEN_STORAGE_KEY } from '../platform/web-api';
import { AppStore } from './app-store';

class MemoryPlatform implements Platform {
  readonly kind = 'web' as const;
  readonly notifications: AppNotification[] = [];
  readonly fleets: FleetSnapshot[] = [];
  saved: Settings[] = [];
  private readonly openHost = new Set<(hostKey: string) => void>();

  constructor(
    readonly hub: HubLink,
    private settings: Settings,
    private readonly local: LocalAgentStatus,
  ) {}

  async loadSettings(): Promise<LoadedSettings> {
    return { settings: this.settings };
  }
  async saveSettings(settings: Settings): Promise<void> {
    this.settings = settings;
    this.saved.push(settings);
  }
  localAgent = {
    get: async () => this.local,
    subscribe: () => () => {},
    retry: async () => {},
  };
  discovery = {
    get: async (): Promise<DiscoveryState> => ({ scanning: false, hosts: [] }),
    scan: async () => {},
    subscribe: () => () => {},
  };
  notify(notification: AppNotification): void {
    this.notifications.push(notification);
  }
  publishFleet(fleet: FleetSnapshot): void {
    this.fleets.push(fleet);
  }
  onOpenHost(listener: (hostKey: string) => void) {
    this.openHost.add(listener);
    return () => this.openHost.delete(listener);
  }
  clickNotification(hostKey: string): void {
    for (const listener of this.openHost) listener(hostKey);
  }
}

const TOKEN = 'app-store-hub-token';
const MEMORY_ANY = { id: 'memory-any', metric: 'memory', forSeconds: 0, hysteresis: 0, cooldownSeconds: 0, severity: 'critical', enabled: true } as const;
let agent: TestAgent;
/** Another machine (by its hostname): endpoints of one agent are one machine, shown once. */
let labBox: TestAgent;
let hub: SpawnedAgent;
let store: AppStore | undefined;

/** The hub as a page reaches it: its link, with the Origin a browser adds to what changes something. */
function hubLink(): HubLink {
  const origin = new URL(hub.url('hub')).origin;
  const session = new Map([[TOKEN_STORAGE_KEY, TOKEN]]);
  const browserFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (init?.method && init.method !== 'GET') headers.set('Origin', origin);
    return fetch(input, { ...init, headers });
  };
  return createHubLink(new DashboardApi({ fetch: browserFetch, session: { getItem: (key) => session.get(key) ?? null, setItem: (key, value) => void session.set(key, value), removeItem: (key) => void session.delete(key) }, baseUrl: origin }), 200);
}

function platformWith(settings: Settings = defaultSettings()): MemoryPlatform {
  return new MemoryPlatform(hubLink(), settings, { state: 'running', connect: agent.connect, listening: agent.endpoints, failures: [], restarts: 0 });
}

beforeAll(async () => {
  agent = await startTestAgent([], { fakeGpus: true });
  labBox = await startTestAgent(['--hostname', 'app-store-lab-box', '--no-gpu-usage', '--no-socktop', '--no-sysmedic', '--no-vstats', '--no-metrics']);
  const dir = tempDataDir();
  const serversFile = path.join(dir, 'servers.txt');
  writeFileSync(serversFile, `${labBox.connect.find((endpoint) => endpoint.protocol === 'servercontrol')!.url} Lab box\n`);
  hub = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir], { env: { FLEETWATCH_HUB_LOCAL_AGENT: JSON.stringify(agent.connect.filter((endpoint) => endpoint.protocol === 'socktop')) } });
});
afterAll(async () => {
  await hub.stop('SIGTERM');
  await agent.close();
  await labBox.close();
});
afterEach(() => store?.stop());

describe('AppStore', () => {
  it('shows This computer and the hub\'s servers, in batched updates', async () => {
    const platform = platformWith();
    store = new AppStore({ platform, renderIntervalMs: 100, publishIntervalMs: 100 });
    let renders = 0;
    store.subscribe(() => (renders += 1));
    await store.start();
    await expect.poll(() => store!.rows().filter((row) => row.machine.status === 'online').length, { timeout: 8000 }).toBe(2);
    expect(store.rows().map((row) => row.machine.name)).toContain('Lab box');
    const local = store.rows().find((row) => row.machine.local)!;
    expect(local.machine.protocols).toEqual(['socktop']);
    // Read and not alerting; the default CPU rule may see this machine heading for it while the suite runs on every core.
    expect(['ok', 'warning']).toContain(local.state);
    await expect.poll(() => platform.fleets.at(-1)?.hosts.length, { timeout: 3000 }).toBe(2);
    const rendersBefore = renders;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Two hosts at 1 Hz: a handful of renders per second, not one per reading.
    expect(renders - rendersBefore).toBeLessThanOrEqual(11);
  });

  it('shows the hub\'s alert once, notifies the shell, publishes the fleet state, and opens the host a notification names', async () => {
    const platform = platformWith();
    store = new AppStore({ platform, renderIntervalMs: 100, publishIntervalMs: 100 });
    await store.start();
    await expect.poll(() => store!.rows().length, { timeout: 8000 }).toBe(2);
    const labBox = store.rows().find((row) => row.machine.name === 'Lab box')!.machine.key;
    await store.saveSettings({ ...store.settings, alerts: { rules: [{ ...MEMORY_ANY, threshold: 0 }], overrides: {} } });
    await expect.poll(() => platform.notifications.filter((notification) => notification.hostKey === labBox).length, { timeout: 8000 }).toBe(1);
    expect(platform.notifications.find((notification) => notification.hostKey === labBox)).toMatchObject({ id: `alert:${labBox}:memory-any`, severity: 'critical' });
    await expect.poll(() => platform.fleets.at(-1)?.hosts.find((host) => host.key === labBox)?.state, { timeout: 3000 }).toBe('alert');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Still firing: no second notification for the same host and rule.
    expect(platform.notifications.filter((notification) => notification.id === `alert:${labBox}:memory-any`)).toHaveLength(1);

    platform.clickNotification(labBox);
    expect(store.route).toEqual({ view: 'host', hostKey: labBox });
    store.acknowledge(`alert:${labBox}:memory-any`);
    // The hub keeps the acknowledgement: the next message it sends still has it.
    await expect.poll(() => store!.book.entries(Date.now()).find((entry) => entry.hostKey === labBox)?.acknowledgedAtMs, { timeout: 3000 }).toBeGreaterThan(0);

    // A per-host override raising the threshold clears it.
    await store.saveSettings({ ...store.settings, alerts: { rules: [{ ...MEMORY_ANY, threshold: 0 }], overrides: { [labBox]: { 'memory-any': { threshold: 200 } } } } });
    await expect.poll(() => store!.book.active(Date.now()).filter((entry) => entry.id === `alert:${labBox}:memory-any`).length, { timeout: 5000 }).toBe(0);
    // Above its threshold, not yet for long enough: the hub says the host is heading for an alert.
    await store.saveSettings({ ...store.settings, alerts: { rules: [{ ...MEMORY_ANY, threshold: 0, forSeconds: 3600 }], overrides: {} } });
    await expect.poll(() => store!.rows().find((row) => row.machine.key === labBox)?.state, { timeout: 5000 }).toBe('warning');
    await store.saveSettings({ ...store.settings, alerts: { rules: [{ ...MEMORY_ANY, threshold: 100 }], overrides: {} } });
  });

  it('keeps looking for a server added before it runs, and reads it once it answers; a removed one leaves', async () => {
    const port = await freePort();
    const platform = platformWith();
    store = new AppStore({ platform, renderIntervalMs: 100, publishIntervalMs: 100 });
    await store.start();
    const entry = await store.addToDetect(`127.0.0.1:${port}`, 'Late box', {});
    const row = () => store!.rows().find((candidate) => candidate.machine.key === entry.id);
    await expect.poll(() => row()?.machine.status, { timeout: 5000 }).toBe('detecting');
    expect(row()).toMatchObject({ state: 'offline', machine: { name: 'Late box' } });

    const late = await startTestAgent(['--servercontrol-port', String(port)]);
    try {
      await expect.poll(() => store!.servers.find((server) => server.id === entry.id)?.endpoints, { timeout: 20_000 }).toEqual([{ protocol: 'servercontrol', url: `ws://127.0.0.1:${port}/` }]);
      await expect.poll(() => row()?.machine.status, { timeout: 10_000 }).toBe('online');
      expect(row()!.machine.sample!.cpu!.totalPercent).toBeGreaterThanOrEqual(0);
      await store.removeServer(entry.id);
      await expect.poll(() => row(), { timeout: 5000 }).toBeUndefined();
    } finally {
      await late.close();
    }
  });
});
