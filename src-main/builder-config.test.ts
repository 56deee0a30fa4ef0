import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/test-agent';

// What can be checked of packaging without downloading Electron: electron-builder's own schema accepts the
// configuration, the targets are the ones promised, and every resource it names exists.

describe('electron-builder configuration', () => {
  it("passes electron-builder's own validation and names the promised targets", async () => {
    const config = await getConfig(REPO_ROOT, path.join(REPO_ROOT, 'electron-builder.yml'), null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.appId).toBe('com.fleetwatch.desktop');
    expect(config.productName).toBe('FleetWatch');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toBe('nsis');
    expect(config.mac?.target).toBe('dmg');
    expect(JSON.stringify(config.files)).toContain('"out/**"');
  });

  it("leaves out the Node that npm scripts run on: the app runs on Electron's own", async () => {
    const config = await getConfig(REPO_ROOT, path.join(REPO_ROOT, 'electron-builder.yml'), null);
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { optionalDependencies: Record<string, string> };
    const patterns = JSON.stringify(config.files).match(/"![^"]+"/g) ?? [];
    const excluded = patterns.find((pattern) => pattern.startsWith('"!node_modules/{'));
    const names = /\{([^}]+)\}/.exec(excluded ?? '')?.[1]?.split(',') ?? [];
    expect(names.sort()).toEqual(Object.keys(manifest.optionalDependencies).sort());
  });

  it('points at resources that exist', async () => {
    const config = await getConfig(REPO_ROOT, path.join(REPO_ROOT, 'electron-builder.yml'), null);
    const paths = [config.linux?.icon, config.win?.icon, config.mac?.icon, config.mac?.entitlements, 'build/icons/256x256.png', 'build/icons/512x512.png'];
    for (const resource of config.extraResources as { from: string }[]) paths.push(resource.from);
    for (const file of paths) expect(existsSync(path.join(REPO_ROOT, String(file))), String(file)).toBe(true);
  });

  it('packages the entry point Electron starts, with the agent beside it in out/', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(manifest.main).toBe('out/main/index.js');
    // Built first, then electron-builder through scripts/dist.ts, which hands it a local Electron.
    expect(manifest.scripts.dist).toBe('npm run build && node scripts/dist.ts');
    expect(readFileSync(path.join(REPO_ROOT, 'scripts', 'dist.ts'), 'utf8')).toContain("'electron-builder'");
  });

  it('is rejected by the same validation when it names an unknown option', async () => {
    const config = await getConfig(REPO_ROOT, path.join(REPO_ROOT, 'electron-builder.yml'), null);
    await expect(validateConfiguration({ ...config, linux: { ...config.linux, iconz: 'x' } as never }, new DebugLogger(false))).rejects.toThrow(/Invalid configuration object/);
  });
});
