// The Electron tray around trayView(): sets the icon, tooltip and menu, and turns menu clicks into
// actions. Holds the pause state; every decision about what to show is in tray-view.ts.

import { Menu, nativeImage, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { FleetHostState, FleetSnapshot } from '../../src-renderer/platform/platform';
import { trayIconChoice } from './icon-set';
import { isPaused, PAUSE_ALERTS_MS, trayView, type TrayMenuItem, type TrayView } from './tray-view';

export interface TrayActions {
  open(): void;
  openHost(hostKey: string): void;
  quit(): void;
}

export interface TrayControllerOptions {
  trayDir: string;
  platform: NodeJS.Platform;
  actions: TrayActions;
  now?: () => number;
}

/** Fleet updates arrive with every sample; menus are rebuilt at most this often. */
const RENDER_INTERVAL_MS = 1000;

export class TrayController {
  private readonly tray: Tray;
  private readonly images = new Map<FleetHostState, NativeImage>();
  private fleet: FleetSnapshot = { hosts: [] };
  private pausedUntil: number | undefined;
  private view: TrayView | undefined;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;
  private lastRenderMs = 0;
  private readonly now: () => number;

  constructor(private readonly options: TrayControllerOptions) {
    this.now = options.now ?? Date.now;
    this.tray = new Tray(this.image('offline'));
    // Windows and Linux open the window on a click; macOS shows the menu, as its users expect.
    if (options.platform !== 'darwin') this.tray.on('click', () => options.actions.open());
    this.render();
  }

  /** Epoch ms until which alerts are paused, if they are. */
  get pausedUntilMs(): number | undefined {
    return isPaused({ nowMs: this.now(), pausedUntilMs: this.pausedUntil }) ? this.pausedUntil : undefined;
  }

  /** What the tray shows now, for the e2e test hook. */
  get current(): TrayView | undefined {
    return this.view;
  }

  update(fleet: FleetSnapshot): void {
    this.fleet = fleet;
    const waitMs = this.lastRenderMs + RENDER_INTERVAL_MS - this.now();
    if (waitMs <= 0) this.render();
    else this.renderTimer ??= setTimeout(() => this.render(), waitMs);
  }

  destroy(): void {
    clearTimeout(this.renderTimer);
    clearTimeout(this.resumeTimer);
    this.tray.destroy();
  }

  private setPause(untilMs: number | undefined): void {
    this.pausedUntil = untilMs;
    clearTimeout(this.resumeTimer);
    // The menu says "Resume … until 14:05": it must turn back into "Pause" when that time comes.
    if (untilMs !== undefined) this.resumeTimer = setTimeout(() => this.render(), Math.max(0, untilMs - this.now()) + 1000);
    this.render();
  }

  private render(): void {
    clearTimeout(this.renderTimer);
    this.renderTimer = undefined;
    this.lastRenderMs = this.now();
    const view = trayView(this.fleet, { nowMs: this.now(), pausedUntilMs: this.pausedUntil });
    if (view.icon !== this.view?.icon) this.tray.setImage(this.image(view.icon));
    if (view.tooltip !== this.view?.tooltip) this.tray.setToolTip(view.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(view.menu.map((item) => this.menuItem(item))));
    this.view = view;
  }

  private menuItem(item: TrayMenuItem): MenuItemConstructorOptions {
    const { actions } = this.options;
    switch (item.kind) {
      case 'host':
        return { label: item.label, click: () => actions.openHost(item.hostKey) };
      case 'more':
      case 'open':
        return { label: item.label, click: () => actions.open() };
      case 'pause':
        return { label: item.label, click: () => this.setPause(this.now() + PAUSE_ALERTS_MS) };
      case 'resume':
        return { label: item.label, click: () => this.setPause(undefined) };
      case 'quit':
        return { label: item.label, click: () => actions.quit() };
      case 'separator':
        return { type: 'separator' };
    }
  }

  private image(state: FleetHostState): NativeImage {
    const cached = this.images.get(state);
    if (cached) return cached;
    const choice = trayIconChoice(state, this.options.platform, this.options.trayDir);
    const image = nativeImage.createFromPath(choice.file);
    for (const extra of choice.highDpi) image.addRepresentation({ scaleFactor: extra.scaleFactor, buffer: nativeImage.createFromPath(extra.file).toPNG() });
    if (choice.template) image.setTemplateImage(true);
    this.images.set(state, image);
    return image;
  }
}
