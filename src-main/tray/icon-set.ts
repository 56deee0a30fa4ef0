// Every icon file FleetWatch ships, generated from icon-art.ts, and where the tray finds its own at run
// time. The PNGs are committed under build/; icon-set.test.ts checks they match and rewrites them with
// UPDATE_ICONS=1.

import path from 'node:path';
import type { FleetHostState } from '../../src-renderer/platform/platform';
import { appIconShader, rasterize, trayIconShader } from './icon-art';
import { encodePng } from './png-encoder';

export const TRAY_STATES: readonly FleetHostState[] = ['ok', 'warning', 'alert', 'offline'];
export const TRAY_SIZES = [16, 32, 64] as const;

export interface IconFile {
  /** Relative to build/. */
  path: string;
  size: number;
  rgba: Uint8Array;
}

export function iconFiles(): IconFile[] {
  const files: IconFile[] = [];
  const add = (file: string, size: number, shader: Parameters<typeof rasterize>[1]): void => {
    files.push({ path: file, size, rgba: rasterize(size, shader) });
  };
  for (const state of TRAY_STATES) {
    for (const size of TRAY_SIZES) add(`tray/tray-${state}-${size}.png`, size, trayIconShader(state, false));
    // macOS picks the @2x file itself for Retina menu bars; "Template" tells it to tint by the theme.
    add(`tray/tray-${state}Template.png`, 16, trayIconShader(state, true));
    add(`tray/tray-${state}Template@2x.png`, 32, trayIconShader(state, true));
  }
  add('icon.png', 512, appIconShader());
  add('icons/256x256.png', 256, appIconShader());
  add('icons/512x512.png', 512, appIconShader());
  return files;
}

export function encodeIcon(file: IconFile): Buffer {
  return encodePng(file.size, file.size, file.rgba);
}

export interface TrayIconChoice {
  /** The file to load; for a template, macOS finds the @2x beside it. */
  file: string;
  template: boolean;
  /** Larger renderings to add for high-DPI screens, by scale factor. */
  highDpi: { scaleFactor: number; file: string }[];
}

/**
 * macOS: a template image the menu bar tints. Windows: 16 px with 32 and 64 px for scaled displays.
 * Linux: 32 px, which panels scale down to their own size without the blur of scaling 16 up.
 */
export function trayIconChoice(state: FleetHostState, platform: NodeJS.Platform, trayDir: string): TrayIconChoice {
  if (platform === 'darwin') return { file: path.join(trayDir, `tray-${state}Template.png`), template: true, highDpi: [] };
  if (platform === 'win32') {
    return {
      file: path.join(trayDir, `tray-${state}-16.png`),
      template: false,
      highDpi: [
        { scaleFactor: 2, file: path.join(trayDir, `tray-${state}-32.png`) },
        { scaleFactor: 4, file: path.join(trayDir, `tray-${state}-64.png`) },
      ],
    };
  }
  return { file: path.join(trayDir, `tray-${state}-32.png`), template: false, highDpi: [] };
}
