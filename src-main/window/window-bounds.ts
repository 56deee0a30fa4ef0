// Where the window opens: the saved bounds if they are still on a screen, else a default size on the
// primary screen. Pure; the Electron layer passes the screens' work areas in.

import type { Settings } from '../../src-renderer/platform/settings';

export type SavedBounds = NonNullable<Settings['window']>;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 };
const MIN_VISIBLE_PIXELS = 100;

function overlap(a: Rectangle, b: Rectangle): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Saved bounds are used when enough of the window (its title bar region included) is on some screen;
 * a monitor unplugged since must not leave the window off-screen.
 */
export function initialBounds(saved: SavedBounds | undefined, workAreas: readonly Rectangle[]): { bounds: Rectangle; maximized: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved) {
    const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(saved.height, 40) };
    const visible = workAreas.some((area) => {
      const seen = overlap(titleBar, area);
      return seen.width >= MIN_VISIBLE_PIXELS && seen.height > 0;
    });
    if (visible) return { bounds: { x: saved.x, y: saved.y, width: saved.width, height: saved.height }, maximized: saved.maximized };
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  return {
    bounds: { x: primary.x + Math.round((primary.width - width) / 2), y: primary.y + Math.round((primary.height - height) / 2), width, height },
    maximized: saved?.maximized ?? false,
  };
}

/** What is stored: whole pixels, within the limits the settings schema allows. */
export function boundsToSave(bounds: Rectangle, maximized: boolean): SavedBounds {
  return {
    x: Math.round(bounds.x),
    y: Math.round(bounds.y),
    width: Math.min(20_000, Math.max(400, Math.round(bounds.width))),
    height: Math.min(20_000, Math.max(300, Math.round(bounds.height))),
    maximized,
  };
}
