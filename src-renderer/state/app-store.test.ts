// The app store end to end under Node: a real agent, real sockets, and an in-memory Platform that records
// what the UI asks of its shell (notifications, the tray's fleet snapshot).

import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test-support/free-port';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import type { AppNotification, DiscoveryState, FleetSnapshot, LoadedSettings, LocalAgentStatus, Platform } from '../platform/platform';
import { defaultSettings, type Settings } from '../platform/settings';
import { AppStore } from './app-store';

class MemoryPlatform implements Platform {
  readonly kind = 'web' as const;
  readonly notifications: AppNotification[] = [];
  readonly fleets: FleetSnapshot[] = [];
  saved: Settings[] = [];
  private readonly openHost = new Set<(hostKey: string) => void>();

  constructor(
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

let agent: TestAgent;
let store: AppStore | undefined;
beforeAll(async () => {
  agent = await startTestAgent([], { fakeGpus: true });
});
afterAll(() => agent.close());
afterEach(() => store?.stop());

function localStatus(): LocalAgentStatus {
  return { state: 'running', connect: agent.connect, listening: agent.endpoints, failures: [], restarts: 0 };
}

function withServer(settings: Settings, threshold: number): Settings {
  const socktop = agent.connect.find((endpoint) => endpoint.protocol === 'socktop')!;
  return {
    ...settings,
    servers: [{ id: 'srv-a', input: socktop.url, name: 'Lab box', endpoints: [socktop], addedAtMs: 1 }],
    alerts: { rules: [{ id: 'cpu-any', metric: 'cpu', threshold, forSeconds: 0, hysteresis: 0, cooldownSeconds: 0, severity: 'critical', enabled: true }], overrides: {} },
  };
}

describe('AppStore', () => {
  it('shows This computer from the local agent and the configured servers, in batched updates', async () => {
    const platform = new MemoryPlatform(withServer(defaultSettings(), 1000), localStatus());
    store = new AppStore({ platform, WebSocket, renderIntervalMs: 100, publishIntervalMs: 100 });
    let renders = 0;
    store.subscribe(() => (renders += 1));
    await store.start();
    await expect.poll(() => store!.rows().filter((row) => row.machine.status === 'online').map((row) => row.machine.key).sort(), { timeout: 8000 }).toEqual(['local', 'srv-a']);
    const local = store.rows().find((row) => row.machine.local)!;
    expect(local.machine.protocols).toEqual(['socktop']);
    expect(local.state).toBe('ok');
    expect(store.rows().find((row) => row.machine.key === 'srv-a')!.machine.name).toBe('Lab box');
    await expect.poll(() => platform.fleets.at(-1)?.hosts.length, { timeout: 3000 }).toBe(2);
    const rendersBefore = renders;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Two sources at 1 Hz: a handful of renders per second, not one per frame.
    expect(renders - rendersBefore).toBeLessThanOrEqual(11);
  });

  it('raises a rule alert once per host and rule, notifies the shell and publishes the fleet state', async () => {
    const platform = new MemoryPlatform(withServer(defaultSettings(), 0), { ...localStatus(), connect: [] });
    store = new AppStore({ platform, WebSocket, renderIntervalMs: 100, publishIntervalMs: 100 });
    await store.start();
    await expect.poll(() => platform.notifications.length, { timeout: 8000 }).toBeGreaterThan(0);
    expect(platform.notifications[0]).toMatchObject({ id: 'alert:srv-a:cpu-any', severity: 'critical', hostKey: 'srv-a' });
    expect(platform.notifications[0]!.title).toMatch(/^Lab box: CPU \d+ %$/);
    await expect.poll(() => platform.fleets.at(-1)?.hosts[0]?.state, { timeout: 3000 }).toBe('alert');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Still firing: no second notification for the same host and rule.
    expect(platform.notifications.filter((notification) => notification.id === 'alert:srv-a:cpu-any')).toHaveLength(1);
    expect(store.toasts.map((toast) => toast.id)).toEqual(['alert:srv-a:cpu-any']);

    store.acknowledge('alert:srv-a:cpu-any');
    expect(store.book.unacknowledged(Date.now())).toBe(0);

    // A per-host override raising the threshold clears it.
    await store.saveSettings({ ...platform.saved.at(-1) ?? withServer(defaultSettings(), 0), alerts: { ...withServer(defaultSettings(), 0).alerts, overrides: { 'srv-a': { 'cpu-any': { threshold: 200 } } } } });
    await expect.poll(() => store!.book.active(Date.now()).length, { timeout: 5000 }).toBe(0);
    await expect.poll(() => platform.fleets.at(-1)?.hosts[0]?.state, { timeout: 3000 }).toBe('ok');
  });

  it('forgets a removed server and opens the host a notification names', async () => {
    const platform = new MemoryPlatform(withServer(defaultSettings(), 0), { ...localStatus(), connect: [] });
    store = new AppStore({ platform, WebSocket, renderIntervalMs: 100, publishIntervalMs: 100 });
    await store.start();
    await expect.poll(() => store!.book.active(Date.now()).length, { timeout: 8000 }).toBe(1);
    platform.clickNotification('srv-a');
    expect(store.route).toEqual({ view: 'host', hostKey: 'srv-a' });
    await store.saveSettings({ ...withServer(defaultSettings(), 0), servers: [] });
    await expect.poll(() => store!.book.entries(Date.now()).length, { timeout: 3000 }).toBe(0);
    expect(store.rows()).toEqual([]);
  });

  it('keeps looking for a server added before it runs, then saves what it found and reads it', async () => {
    const port = await freePort();
    const platform = new MemoryPlatform(defaultSettings(), { ...localStatus(), connect: [] });
    store = new AppStore({ platform, WebSocket, renderIntervalMs: 100, publishIntervalMs: 100 });
    await store.start();
    const entry = await store.addToDetect(`127.0.0.1:${port}`, 'Late box', {});
    expect(platform.saved.at(-1)!.servers).toEqual([{ id: entry.id, input: `127.0.0.1:${port}`, name: 'Late box', endpoints: [], addedAtMs: expect.any(Number) }]);
    const row = () => store!.rows().find((candidate) => candidate.machine.key === entry.id);
    expect(row()).toMatchObject({ state: 'offline', machine: { name: 'Late box', status: 'detecting' } });
    await expect.poll(() => row()?.machine.statusText, { timeout: 5000 }).toContain(`Nothing answered on port ${port}`);

    const late = await startTestAgent(['--servercontrol-port', String(port)]);
    try {
      await expect.poll(() => platform.saved.at(-1)!.servers[0]!.endpoints, { timeout: 20_000 }).toEqual([{ protocol: 'servercontrol', url: `ws://127.0.0.1:${port}/` }]);
      expect(store.settings.servers[0]).toMatchObject({ id: entry.id, name: 'Late box', input: `127.0.0.1:${port}` });
      await expect.poll(() => row()?.machine.status, { timeout: 10_000 }).toBe('online');
      expect(row()!.machine.sample!.cpu!.totalPercent).toBeGreaterThanOrEqual(0);
    } finally {
      store.stop();
      await late.close();
    }
  });
});
