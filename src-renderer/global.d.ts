// The Electron preload's bridge, when the renderer runs in the desktop app; absent in the web dashboard.

import type { ShellPlatform } from './platform/platform';

declare global {
  interface Window {
    fleetwatch?: ShellPlatform;
  }
}

export {};
