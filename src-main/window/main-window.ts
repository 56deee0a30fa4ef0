// The one app window, with Electron's secure defaults spelled out: isolated, sandboxed, no Node, no
// navigation away and no new windows. Closing it hides it to the tray; only Quit ends the app.

import { BrowserWindow, screen } from 'electron';
import { isAppUrl, type AppEntry } from '../ipc/validators';
import { boundsToSave, initialBounds, type SavedBounds } from './window-bounds';

export interface MainWindowOptions {
  preloadPath: string;
  entry: AppEntry;
  /** Where to load the page from at once: the dev server. Absent: the caller loads it once its server (the hub) is up. */
  load?: { url: string };
  savedBounds: SavedBounds | undefined;
  onBoundsChanged(bounds: SavedBounds): void;
  /** True once the user chose Quit: then closing really closes. */
  isQuitting(): boolean;
  iconPath?: string;
  log(line: string): void;
}

const BOUNDS_SAVE_DELAY_MS = 750;

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const { bounds, maximized } = initialBounds(
    options.savedBounds,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 400,
    minHeight: 300,
    show: false,
    title: 'FleetWatch',
    backgroundColor: '#1f2a36',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  if (maximized) window.maximize();
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  // The page is the app; anything else (a link, a hostile redirect) must not replace it.
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, options.entry)) return;
    event.preventDefault();
    options.log(`window: blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    if (isAppUrl(url, options.entry)) return;
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The app has no links to follow; a window.open can only come from something hostile, so nothing opens.
  contents.setWindowOpenHandler(({ url }) => {
    options.log(`window: blocked window.open of ${url}`);
    return { action: 'deny' };
  });

  window.on('close', (event) => {
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });

  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  const saveBounds = (): void => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (!window.isDestroyed()) options.onBoundsChanged(boundsToSave(window.getNormalBounds(), window.isMaximized()));
    }, BOUNDS_SAVE_DELAY_MS);
  };
  window.on('resize', saveBounds);
  window.on('move', saveBounds);
  window.on('maximize', saveBounds);
  window.on('unmaximize', saveBounds);

  if (options.load) void window.loadURL(options.load.url);
  return window;
}

/** Brings the window to the front, restoring it from the tray or the dock. */
export function showWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
