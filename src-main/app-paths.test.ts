import { describe, expect, it } from 'vitest';
import { appPaths } from './app-paths';

describe('app paths', () => {
  it('finds everything in the checkout during development', () => {
    const paths = appPaths({ mainDir: '/src/fw/out/main', appPath: '/src/fw', resourcesPath: '/usr/lib/electron/resources', isPackaged: false, userData: '/home/u/.config/FleetWatch' });
    expect(paths).toEqual({
      preload: '/src/fw/out/preload/index.cjs',
      agent: '/src/fw/out/agent/index.js',
      trayDir: '/src/fw/build/tray',
      appIcon: '/src/fw/build/icon.png',
      agentDataDir: '/home/u/.config/FleetWatch/agent',
      agentLog: '/home/u/.config/FleetWatch/logs/agent.log',
      mainLog: '/home/u/.config/FleetWatch/logs/main.log',
      hubDataDir: '/home/u/.config/FleetWatch/hub',
      hubLog: '/home/u/.config/FleetWatch/logs/hub.log',
    });
  });

  it('reads the bundle from app.asar and the icons from resources when packaged, and never a dev server', () => {
    const paths = appPaths({
      mainDir: '/opt/FleetWatch/resources/app.asar/out/main',
      appPath: '/opt/FleetWatch/resources/app.asar',
      resourcesPath: '/opt/FleetWatch/resources',
      isPackaged: true,
      userData: '/home/u/.config/FleetWatch',
      devServerUrl: 'http://localhost:5173',
    });
    expect(paths.agent).toBe('/opt/FleetWatch/resources/app.asar/out/agent/index.js');
    expect(paths.trayDir).toBe('/opt/FleetWatch/resources/tray');
    expect(paths.devServerUrl).toBeUndefined();
  });

  it('uses the dev server in development when electron-vite names one', () => {
    expect(appPaths({ mainDir: '/f/out/main', appPath: '/f', resourcesPath: '/r', isPackaged: false, userData: '/u', devServerUrl: 'http://localhost:5173' }).devServerUrl).toBe('http://localhost:5173');
  });
});
