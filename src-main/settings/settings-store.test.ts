import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../src-renderer/platform/settings';
import { mergeRendererSettings, SettingsStore } from './settings-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-settings-'));
  dirs.push(dir);
  return dir;
}

const withServer: Settings = { ...defaultSettings(), servers: [{ id: 's1', input: 'gpu-box:8060', endpoints: [{ protocol: 'sysmedic', url: 'ws://gpu-box:8060/ws?secret=x' }], addedAtMs: 1 }] };

describe('SettingsStore', () => {
  it('starts from defaults without a notice when there is no file yet', async () => {
    const store = new SettingsStore({ dir: tempDir() });
    expect(await store.load()).toEqual({ settings: defaultSettings() });
  });

  it('saves and loads back the same settings', async () => {
    const dir = tempDir();
    await new SettingsStore({ dir }).save(withServer);
    expect((await new SettingsStore({ dir }).load()).settings).toEqual(withServer);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('moves a file that is not JSON aside, uses defaults and says so', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), '{"version": 1, "servers": [');
    const store = new SettingsStore({ dir, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    const loaded = await store.load();
    expect(loaded.settings).toEqual(defaultSettings());
    expect(loaded.notice).toMatch(/could not be used \(not valid JSON.*kept as settings\.corrupt-2026-01-02T03-04-05-000Z\.json/);
    expect(readFileSync(path.join(dir, 'settings.corrupt-2026-01-02T03-04-05-000Z.json'), 'utf8')).toBe('{"version": 1, "servers": [');
    expect(readdirSync(dir)).toEqual(['settings.corrupt-2026-01-02T03-04-05-000Z.json']);
  });

  it('moves a settings file it cannot read aside too, so saving does not replace it', async () => {
    const dir = tempDir();
    // A directory where the file should be fails to read even as root, as an unreadable file does for a user.
    mkdirSync(path.join(dir, 'settings.json'));
    writeFileSync(path.join(dir, 'settings.json', 'marker'), 'kept');
    const store = new SettingsStore({ dir, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
    const loaded = await store.load();
    expect(loaded.settings).toEqual(defaultSettings());
    expect(loaded.notice).toMatch(/could not be read \(EISDIR.*kept as settings\.corrupt-2026-01-02T03-04-05-000Z\.json/);
    await store.save(withServer);
    expect(readFileSync(path.join(dir, 'settings.corrupt-2026-01-02T03-04-05-000Z.json', 'marker'), 'utf8')).toBe('kept');
    expect((await new SettingsStore({ dir }).load()).settings).toEqual(withServer);
  });

  it('moves a file that fails validation aside and names the bad field', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...defaultSettings(), theme: 'neon' }));
    const loaded = await new SettingsStore({ dir }).load();
    expect(loaded.notice).toMatch(/theme/);
    expect(readdirSync(dir).some((name) => name.startsWith('settings.corrupt-'))).toBe(true);
  });

  it('refuses to save invalid settings and keeps the file as it was', async () => {
    const dir = tempDir();
    const store = new SettingsStore({ dir });
    await store.save(withServer);
    await expect(store.save({ ...withServer, version: 2 } as unknown as Settings)).rejects.toThrow(/version/);
    expect(JSON.parse(readFileSync(store.file, 'utf8'))).toEqual(withServer);
  });

  it('writes saves in order, leaving the last one on disk and no temp files', async () => {
    const dir = tempDir();
    const store = new SettingsStore({ dir });
    const themes = ['dark', 'light', 'system', 'dark'] as const;
    await Promise.all(themes.map((theme) => store.save({ ...defaultSettings(), theme })));
    expect(JSON.parse(readFileSync(store.file, 'utf8')).theme).toBe('dark');
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('updates part of the settings', async () => {
    const store = new SettingsStore({ dir: tempDir() });
    await store.load();
    await store.update((current) => ({ ...current, window: { x: 10, y: 20, width: 1200, height: 800, maximized: false } }));
    expect(JSON.parse(readFileSync(store.file, 'utf8')).window).toEqual({ x: 10, y: 20, width: 1200, height: 800, maximized: false });
  });
});

describe('a save from the renderer', () => {
  it('keeps the window bounds the main process saved', () => {
    const current = { ...defaultSettings(), window: { x: 1, y: 2, width: 900, height: 700, maximized: false } };
    const incoming = { ...withServer, window: { x: 0, y: 0, width: 400, height: 300, maximized: true } };
    expect(mergeRendererSettings(incoming, current)).toEqual({ ...withServer, window: current.window });
    expect(mergeRendererSettings(incoming, defaultSettings())).toEqual(withServer);
  });
});
