// The one Chromium behind every stand-in window: Debian's, headless, in a persistent context so that a
// test connecting over CDP sees the window's page in the browser's default context.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config.ts';
import { freePort } from '../free-port.ts';
import { runBeforeExit } from './app.ts';

let context: Promise<BrowserContext> | undefined;
let cdpPort: number | undefined;

export function browserContext(): Promise<BrowserContext> {
  context ??= (async () => {
    cdpPort = await freePort();
    const profile = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-standin-chromium-'));
    const launched = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Electron lets a file:// page load its own module scripts; Chromium needs this flag to do the same.
      args: [...CHROMIUM_ARGS, '--allow-file-access-from-files', `--remote-debugging-port=${cdpPort}`],
      headless: true,
      viewport: null,
    });
    runBeforeExit(async () => {
      await launched.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    });
    return launched;
  })();
  return context;
}

/** Where a test reaches the windows' pages, once a window exists. */
export function cdpEndpoint(): string | undefined {
  return cdpPort === undefined ? undefined : `http://127.0.0.1:${cdpPort}`;
}
