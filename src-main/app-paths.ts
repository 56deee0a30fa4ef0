// Where the main process finds its files, in development (out/ and build/ in the checkout) and packaged
// (out/ inside app.asar, tray icons in resources/tray). Pure, so both layouts are tested.

import path from 'node:path';

export interface AppPathInputs {
  /** The folder of the built main bundle: out/main. */
  mainDir: string;
  /** app.getAppPath(): the checkout in development, resources/app.asar when packaged. */
  appPath: string;
  resourcesPath: string;
  isPackaged: boolean;
  userData: string;
  /** ELECTRON_RENDERER_URL under `electron-vite dev`. */
  devServerUrl?: string;
}

export interface AppPaths {
  preload: string;
  devServerUrl?: string;
  agent: string;
  trayDir: string;
  appIcon: string;
  agentDataDir: string;
  agentLog: string;
  hubDataDir: string;
  hubLog: string;
  mainLog: string;
}

export function appPaths(inputs: AppPathInputs): AppPaths {
  const out = path.dirname(inputs.mainDir);
  return {
    preload: path.join(out, 'preload', 'index.cjs'),
    // A packaged app never loads a dev server, whatever its environment says.
    ...(inputs.devServerUrl && !inputs.isPackaged ? { devServerUrl: inputs.devServerUrl } : {}),
    agent: path.join(out, 'agent', 'index.js'),
    trayDir: inputs.isPackaged ? path.join(inputs.resourcesPath, 'tray') : path.join(inputs.appPath, 'build', 'tray'),
    appIcon: inputs.isPackaged ? path.join(inputs.resourcesPath, 'icon.png') : path.join(inputs.appPath, 'build', 'icon.png'),
    agentDataDir: path.join(inputs.userData, 'agent'),
    agentLog: path.join(inputs.userData, 'logs', 'agent.log'),
    hubDataDir: path.join(inputs.userData, 'hub'),
    hubLog: path.join(inputs.userData, 'logs', 'hub.log'),
    mainLog: path.join(inputs.userData, 'logs', 'main.log'),
  };
}
