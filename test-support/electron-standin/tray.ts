// Electron's Tray, Menu and nativeImage, recording what the tray would show: the icon file, the tooltip
// and the menu's labels. A test clicks the tray or a menu item through the control server.

import { EventEmitter } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Menu as ElectronMenu, MenuItemConstructorOptions, NativeImage, Tray } from 'electron';
import { record } from './record.ts';

class StandInImage implements Pick<NativeImage, 'isEmpty' | 'toPNG' | 'addRepresentation' | 'setTemplateImage'> {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  isEmpty(): boolean {
    return !existsSync(this.file);
  }

  toPNG(): Buffer {
    return this.isEmpty() ? Buffer.alloc(0) : readFileSync(this.file);
  }

  addRepresentation(): void {}

  setTemplateImage(): void {}
}

export const nativeImage = {
  createFromPath: (file: string): StandInImage => new StandInImage(file),
};

class StandInMenu {
  readonly items: MenuItemConstructorOptions[];

  constructor(items: MenuItemConstructorOptions[]) {
    this.items = items;
  }

  static buildFromTemplate(template: MenuItemConstructorOptions[]): StandInMenu {
    return new StandInMenu(template);
  }
}

/** Every image here comes from the stand-in's nativeImage, whatever electron's types call it. */
function imageName(image: NativeImage | string): string {
  return path.basename(typeof image === 'string' ? image : (image as unknown as StandInImage).file);
}

const trays: StandInTray[] = [];

class StandInTray extends EventEmitter implements Pick<Tray, 'setImage' | 'setToolTip' | 'destroy' | 'isDestroyed'> {
  private menu: StandInMenu | undefined;
  private readonly state: NonNullable<typeof record.tray>;

  constructor(image: NativeImage | string) {
    super();
    this.state = { image: imageName(image), tooltip: '', menu: [], destroyed: false };
    record.tray = this.state;
    trays.push(this);
  }

  setImage(image: NativeImage | string): void {
    if (typeof image !== 'string' && image.isEmpty()) throw new Error(`the tray icon ${imageName(image)} does not exist`);
    this.state.image = imageName(image);
  }

  setToolTip(toolTip: string): void {
    this.state.tooltip = toolTip;
  }

  setContextMenu(menu: StandInMenu | ElectronMenu | null): void {
    this.menu = menu instanceof StandInMenu ? menu : undefined;
    this.state.menu = (this.menu?.items ?? []).map((item) => ({ ...(item.label !== undefined ? { label: item.label } : {}), ...(item.type ? { type: item.type } : {}) }));
  }

  destroy(): void {
    this.state.destroyed = true;
  }

  isDestroyed(): boolean {
    return this.state.destroyed;
  }

  /** The control server's "a person clicked this menu item". */
  clickMenuItem(label: string): boolean {
    const item = this.menu?.items.find((candidate) => candidate.label === label);
    if (!item?.click) return false;
    (item.click as () => void)();
    return true;
  }
}

export function currentTray(): StandInTray | undefined {
  return trays.findLast((tray) => !tray.isDestroyed());
}

export { StandInMenu as Menu, StandInTray as Tray };
