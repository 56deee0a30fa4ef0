// A page served by a real hub process: the list of servers this browser kept before a hub held the fleet
// moves into the hub once (nothing lost, nothing twice), then leaves the browser's storage.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { spawnHub, tempDataDir } from '../../test-support/test-agent';
import { defaultSettings, type Settings } from '../platform/settings';
import { DashboardApi, TOKEN_STORAGE_KEY } from '../platform/web-api';
import { createWebPlatform, SETTINGS_STORAGE_KEY } from '../platform/web';
import { AppStore } from './app-store';

const TOKEN = 'migration-token';
const cleanups = cleanupAfterEach();
const stores: AppStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.stop();
});

function pageOf(origin: string, storage: Map<string, string>): AppStore {
  const session = new Map([[TOKEN_STORAGE_KEY, TOKEN]]);
  const asStorage = (map: Map<string, string>) => ({ getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), removeItem: (key: string) => void map.delete(key) });
  // Node's fetch sends no Origin; a browser does on every request that changes something.
  const browserFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers);
    if (init?.method && init.method !== 'GET') headers.set('Origin', origin);
    return fetch(input, { ...init, headers });
  };
  const api = new DashboardApi({ fetch: browserFetch, session: asStorage(session), baseUrl: origin });
  const { platform } = createWebPlatform({ api, storage: asStorage(storage), setTitle: () => {}, maxStreamRetryMs: 200 });
  const store = new AppStore({ platform });
  stores.push(store);
  return store;
}

describe('moving a browser\'s servers into the hub', () => {
  it('hands the hub the servers this browser kept, once, and then keeps none itself', async () => {
    const dir = tempDataDir();
    const hub = await spawnHub(['--token', TOKEN, '--data-dir', dir]);
    cleanups.push(() => hub.stop('SIGKILL'));
    const origin = new URL(hub.url('hub')).origin;
    const older: Settings = {
      ...defaultSettings(),
      servers: [
        { id: 'srv-aaaaaa', input: 'sysmedic://old-secret@db-1:8060/', name: 'DB', endpoints: [{ protocol: 'sysmedic', url: 'ws://db-1:8060/ws?secret=old-secret' }], addedAtMs: 5 },
        { id: 'srv-bbbbbb', input: 'gpu-box', endpoints: [], addedAtMs: 6 },
      ],
    };
    const storage = new Map([[SETTINGS_STORAGE_KEY, JSON.stringify(older)]]);
    const page = pageOf(origin, storage);
    await page.start();
    expect(page.infoNotice).toBe("The 2 servers this browser kept are now in the hub's list (2 new to it).");
    const kept = JSON.parse(readFileSync(path.join(dir, 'servers.json'), 'utf8')) as { servers: { input: string; endpoints: unknown[] }[] };
    expect(kept.servers.map((server) => server.input)).toEqual(['sysmedic://old-secret@db-1:8060/', 'gpu-box']);
    expect(kept.servers[0]!.endpoints).toEqual(older.servers[0]!.endpoints);
    expect((JSON.parse(storage.get(SETTINGS_STORAGE_KEY)!) as Settings).servers).toEqual([]);
    // The page shows the hub's list, its secret masked.
    await expect.poll(() => page.servers.map((server) => server.input)).toEqual(['sysmedic://•••@db-1:8060/', 'gpu-box']);

    // A second browser with the same old list adds nothing twice.
    const second = pageOf(origin, new Map([[SETTINGS_STORAGE_KEY, JSON.stringify(older)]]));
    await second.start();
    expect(second.infoNotice).toBe("The 2 servers this browser kept are now in the hub's list (0 new to it).");
    expect((JSON.parse(readFileSync(path.join(dir, 'servers.json'), 'utf8')) as { servers: unknown[] }).servers).toHaveLength(2);
  });
});
