// Electron's BrowserWindow and webContents, backed by a real Chromium page: the window loads the same
// renderer file, its preload runs in the page, `send` reaches the page's listeners, and show/hide/focus
// and bounds are kept as Electron would report them.

import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BrowserWindow, BrowserWindowConstructorOptions, Rectangle, WebContents } from 'electron';
import type { Page } from '@playwright/test';
import { browserContext } from './chromium.ts';
import { ipcMain } from './ipc-main.ts';
import { preventableEvent } from './preventable.ts';
import { DELIVER_FUNCTION, IPC_BINDING, preloadInitScript } from './preload-script.ts';
import { record } from './record.ts';

type WebContentsSurface = Pick<WebContents, 'send' | 'isLoading' | 'isDestroyed' | 'setWindowOpenHandler'>;

class StandInWebContents extends EventEmitter implements WebContentsSurface {
  private loading = true;
  private destroyed = false;
  private readonly page: Promise<Page>;

  constructor(preloadPath: string | undefined, size: { width: number; height: number }) {
    super();
    this.page = (async () => {
      const context = await browserContext();
      const blank = context.pages().find((page) => page.url() === 'about:blank');
      const page = blank ?? (await context.newPage());
      await page.setViewportSize(size);
      await page.exposeBinding(IPC_BINDING, async (source, kind: 'invoke' | 'send', channel: string, args: unknown[]) => {
        const event = { sender: this, senderFrame: { url: source.frame.url() } };
        if (kind === 'invoke') return ipcMain.invokeFromPage(event, channel, args);
        ipcMain.sendFromPage(event, channel, args);
        return undefined;
      });
      if (preloadPath) await page.addInitScript(preloadInitScript(readFileSync(preloadPath, 'utf8')));
      page.on('console', (message) => {
        if (message.type() === 'error') process.stderr.write(`[page] ${message.text()}\n`);
      });
      return page;
    })();
  }

  async load(url: string): Promise<void> {
    this.loading = true;
    const page = await this.page;
    await page.goto(url);
    this.loading = false;
    this.emit('did-finish-load');
  }

  send(channel: string, ...args: unknown[]): void {
    void this.page.then((page) => page.evaluate(([name, values]) => (globalThis as unknown as Record<string, (channel: string, args: unknown[]) => void>)[name]!(values[0] as string, values[1] as unknown[]), [DELIVER_FUNCTION, [channel, args]] as const)).catch(() => {});
  }

  isLoading(): boolean {
    return this.loading;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  setWindowOpenHandler(): void {}

  async url(): Promise<string> {
    return (await this.page).url();
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
    await (await this.page).close().catch(() => {});
  }
}

type WindowSurface = Pick<BrowserWindow, 'loadFile' | 'loadURL' | 'show' | 'hide' | 'isVisible' | 'focus' | 'isMinimized' | 'restore' | 'maximize' | 'isMaximized' | 'getNormalBounds' | 'isDestroyed'>;

const windows: StandInBrowserWindow[] = [];

class StandInBrowserWindow extends EventEmitter implements WindowSurface {
  readonly webContents: StandInWebContents;
  private readonly state: (typeof record.windows)[number];
  private maximized = false;
  private destroyed = false;

  static getAllWindows(): StandInBrowserWindow[] {
    return windows.filter((window) => !window.destroyed);
  }

  constructor(options: BrowserWindowConstructorOptions = {}) {
    super();
    const bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.state = { visible: options.show !== false, focused: 0, url: '', bounds };
    record.windows.push(this.state);
    windows.push(this);
    this.webContents = new StandInWebContents(options.webPreferences?.preload, bounds);
    this.webContents.once('did-finish-load', () => this.emit('ready-to-show'));
  }

  async loadFile(file: string): Promise<void> {
    await this.loadURL(pathToFileURL(file).href);
  }

  async loadURL(url: string): Promise<void> {
    await this.webContents.load(url);
    this.state.url = await this.webContents.url();
  }

  show(): void {
    this.state.visible = true;
    this.emit('show');
  }

  hide(): void {
    this.state.visible = false;
    this.emit('hide');
  }

  isVisible(): boolean {
    return this.state.visible;
  }

  focus(): void {
    this.state.focused += 1;
    this.emit('focus');
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  getNormalBounds(): Rectangle {
    return { ...this.state.bounds };
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** As Electron: 'close' may be cancelled; otherwise the window and its page go away. */
  close(): void {
    const event = preventableEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.state.visible = false;
    void this.webContents.destroy();
    this.emit('closed');
  }
}

export { StandInBrowserWindow as BrowserWindow };
