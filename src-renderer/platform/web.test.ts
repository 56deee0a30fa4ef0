// The web Platform against a real hub's API on loopback (the built hub: `npm run build` first), with Node's
// fetch standing in for the browser's (it adds the Origin header a browser sends on POST) and in-memory storages.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnHub, type SpawnedAgent } from '../../test-support/test-agent';
import type { DiscoveryState } from './platform';
import { defaultSettings } from './settings';
import { DashboardApi, takeTokenFromAddress, TOKEN_STORAGE_KEY } from './web-api';
import { createWebPlatform, SETTINGS_STORAGE_KEY } from './web';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let hub: SpawnedAgent;
let origin: string;

beforeAll(async () => {
  hub = await spawnHub(['--token', 'tok-web', '--dashboard-scan-ports', '9']);
  origin = new URL(hub.url('hub')).origin;
});
afterAll(() => hub.stop('SIGTERM'));

function setup(token?: string) {
  const session = new MemoryStorage();
  if (token) session.setItem(TOKEN_STORAGE_KEY, token);
  const storage = new MemoryStorage();
  const browserFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (init?.method === 'POST') headers.set('Origin', origin);
    return fetch(input, { ...init, headers });
  };
  const api = new DashboardApi({ fetch: browserFetch, session, baseUrl: origin });
  const titles: string[] = [];
  const shown: { title: string; options?: NotificationOptions }[] = [];
  const FakeNotification = class {
    static permission: NotificationPermission = 'granted';
    static requestPermission = async (): Promise<NotificationPermission> => 'granted';
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      shown.push({ title, ...(options ? { options } : {}) });
    }
  } as unknown as typeof Notification;
  const { platform, extras } = createWebPlatform({ api, storage, Notification: FakeNotification, setTitle: (title) => titles.push(title), maxStreamRetryMs: 200 });
  return { platform, extras, storage, session, titles, shown };
}

describe('web platform', () => {
  it('starts from defaults, and saves and loads settings in localStorage', async () => {
    const { platform, storage } = setup();
    expect(await platform.loadSettings()).toEqual({ settings: defaultSettings() });
    const settings = { ...defaultSettings(), theme: 'dark' as const };
    await platform.saveSettings(settings);
    expect(JSON.parse(storage.getItem(SETTINGS_STORAGE_KEY)!)).toEqual(settings);
    expect((await platform.loadSettings()).settings).toEqual(settings);
  });

  it('falls back to defaults with a notice when stored settings are corrupt, keeping the old copy', async () => {
    const { platform, storage } = setup();
    storage.setItem(SETTINGS_STORAGE_KEY, '{"version":1,');
    const broken = await platform.loadSettings();
    expect(broken.settings).toEqual(defaultSettings());
    expect(broken.notice).toContain('not valid JSON');
    expect(storage.getItem(`${SETTINGS_STORAGE_KEY}.corrupt`)).toBe('{"version":1,');
    storage.setItem(SETTINGS_STORAGE_KEY, JSON.stringify({ ...defaultSettings(), theme: 'purple' }));
    expect((await platform.loadSettings()).notice).toContain('theme');
  });

  it('asks for the token when the hub wants one, and reads the hub once it is given', async () => {
    const { platform, extras } = setup();
    const states: string[] = [];
    extras.auth.subscribe((state) => states.push(state));
    await expect(platform.discovery.get()).rejects.toThrow();
    expect(extras.auth.state()).toBe('required');

    extras.auth.setToken('wrong');
    await expect(platform.discovery.get()).rejects.toThrow();
    expect(extras.auth.state()).toBe('refused');

    extras.auth.setToken('tok-web');
    expect((await platform.discovery.get()).hosts).toEqual([]);
    expect(states).toEqual(['required', 'ok', 'refused', 'ok']);
  });

  it('follows discovery through the event stream and asks for scans', async () => {
    const { platform } = setup('tok-web');
    const states: DiscoveryState[] = [];
    const unsubscribe = platform.discovery.subscribe((state) => states.push(state));
    await expect.poll(() => states.length, { timeout: 5000 }).toBeGreaterThan(0);
    await platform.discovery.scan();
    await expect.poll(() => states.some((state) => state.scanning), { timeout: 5000 }).toBe(true);
    await expect.poll(() => states.at(-1)?.lastScanAtMs, { timeout: 10_000 }).toBeGreaterThan(0);
    unsubscribe();
    expect((await platform.discovery.get()).scanning).toBe(false);
  });

  it('shows notifications through the browser, one per id, and counts alerting hosts in the title', () => {
    const { platform, titles, shown } = setup();
    platform.notify({ id: 'alert:srv-1:cpu-high', title: 'web-1: CPU 97 %', body: 'CPU above 90 %', severity: 'warning', hostKey: 'srv-1' });
    expect(shown).toEqual([{ title: 'web-1: CPU 97 %', options: { body: 'CPU above 90 %', tag: 'alert:srv-1:cpu-high' } }]);
    platform.publishFleet({ hosts: [{ key: 'a', name: 'a', state: 'alert' }, { key: 'b', name: 'b', state: 'warning' }, { key: 'c', name: 'c', state: 'ok' }] });
    platform.publishFleet({ hosts: [{ key: 'c', name: 'c', state: 'offline' }] });
    expect(titles).toEqual(['(2) FleetWatch', 'FleetWatch']);
  });
});

describe('takeTokenFromAddress', () => {
  it('moves ?token= into session storage and out of the address bar', () => {
    const session = new MemoryStorage();
    const replaced: string[] = [];
    takeTokenFromAddress({ href: 'http://127.0.0.1:8787/?token=abc&x=1#host' }, { state: null, replaceState: (_state, _title, url) => replaced.push(String(url)) }, session);
    expect(session.getItem(TOKEN_STORAGE_KEY)).toBe('abc');
    expect(replaced).toEqual(['/?x=1#host']);
    takeTokenFromAddress({ href: 'http://127.0.0.1:8787/' }, { state: null, replaceState: (_state, _title, url) => replaced.push(String(url)) }, session);
    expect(replaced).toHaveLength(1);
  });
});
