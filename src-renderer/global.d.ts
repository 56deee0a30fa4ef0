// The Electron preload's bridge, when the renderer runs in the desktop app; absent in the web dashboard.

import type { Platform } from './platform/platform';

declare global {
  interface Window {
    fleetwatch?: Platform;
  }
}

export {};
