import { describe, expect, it } from 'vitest';
import { parseSettings, defaultSettings } from '../../src-renderer/platform/settings';
import { boundsToSave, initialBounds } from './window-bounds';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('window bounds', () => {
  it('reopens where the window was when that place is on a screen', () => {
    const saved = { x: 1600, y: 100, width: 1200, height: 800, maximized: true };
    expect(initialBounds(saved, [laptop, external])).toEqual({ bounds: { x: 1600, y: 100, width: 1200, height: 800 }, maximized: true });
  });

  it('centres a default window on the primary screen when the saved screen is gone', () => {
    const saved = { x: 1600, y: 100, width: 1200, height: 800, maximized: false };
    expect(initialBounds(saved, [laptop])).toEqual({ bounds: { x: 80, y: 40, width: 1280, height: 820 }, maximized: false });
  });

  it('fits the default window on a small screen', () => {
    expect(initialBounds(undefined, [{ x: 0, y: 0, width: 1024, height: 600 }]).bounds).toEqual({ x: 0, y: 0, width: 1024, height: 600 });
  });

  it('stores bounds the settings schema accepts', () => {
    const window = boundsToSave({ x: 10.4, y: -3.6, width: 200, height: 99_999 }, false);
    expect(window).toEqual({ x: 10, y: -4, width: 400, height: 20_000, maximized: false });
    expect(parseSettings({ ...defaultSettings(), window }).ok).toBe(true);
  });
});
