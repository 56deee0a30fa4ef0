// Draws FleetWatch's icons as RGBA pixels: the tray's four states (in colour, and as macOS template
// images whose shape alone carries the state) and the app icon. Pure; png-encoder.ts turns them into files.

import type { FleetHostState } from '../../src-renderer/platform/platform';

/** Straight-alpha colour, channels 0–255. */
export type Rgba = readonly [number, number, number, number];

/** Colour at a point of the icon in unit coordinates (0,0 top left … 1,1 bottom right); null is transparent. */
type Shader = (u: number, v: number) => Rgba | null;

const SUPERSAMPLES = 4;

/** Renders a shader into size×size RGBA pixels, antialiased by averaging a grid of samples per pixel. */
export function rasterize(size: number, shader: Shader): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const count = SUPERSAMPLES * SUPERSAMPLES;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let red = 0;
      let green = 0;
      let blue = 0;
      let alpha = 0;
      for (let sy = 0; sy < SUPERSAMPLES; sy++) {
        for (let sx = 0; sx < SUPERSAMPLES; sx++) {
          const colour = shader((x + (sx + 0.5) / SUPERSAMPLES) / size, (y + (sy + 0.5) / SUPERSAMPLES) / size);
          if (!colour) continue;
          const weight = colour[3] / 255;
          red += colour[0] * weight;
          green += colour[1] * weight;
          blue += colour[2] * weight;
          alpha += weight;
        }
      }
      const offset = (y * size + x) * 4;
      if (alpha > 0) {
        pixels[offset] = Math.round(red / alpha);
        pixels[offset + 1] = Math.round(green / alpha);
        pixels[offset + 2] = Math.round(blue / alpha);
      }
      pixels[offset + 3] = Math.round((alpha / count) * 255);
    }
  }
  return pixels;
}

const distance = (u: number, v: number, cx: number, cy: number): number => Math.hypot(u - cx, v - cy);

function inTriangle(u: number, v: number, [a, b, c]: readonly [number, number][]): boolean {
  const side = (p: [number, number], q: [number, number]): number => (q[0] - p[0]) * (v - p[1]) - (q[1] - p[1]) * (u - p[0]);
  const [s1, s2, s3] = [side(a!, b!), side(b!, c!), side(c!, a!)];
  return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
}

function inRoundedRect(u: number, v: number, left: number, top: number, right: number, bottom: number, radius: number): boolean {
  const cu = Math.min(Math.max(u, left + radius), right - radius);
  const cv = Math.min(Math.max(v, top + radius), bottom - radius);
  return u >= left && u <= right && v >= top && v <= bottom && distance(u, v, cu, cv) <= radius;
}

/** An exclamation mark, bar and dot, with its top at `top` and its dot's centre at `dotAt`. */
function inExclamation(u: number, v: number, top: number, barBottom: number, dotAt: number, width: number): boolean {
  return inRoundedRect(u, v, 0.5 - width / 2, top, 0.5 + width / 2, barBottom, width / 2) || distance(u, v, 0.5, dotAt) <= width * 0.62;
}

export const STATE_COLOURS: Record<FleetHostState, { fill: Rgba; edge: Rgba }> = {
  ok: { fill: [46, 158, 91, 255], edge: [27, 104, 58, 255] },
  warning: { fill: [232, 163, 0, 255], edge: [150, 102, 0, 255] },
  alert: { fill: [217, 54, 54, 255], edge: [140, 28, 28, 255] },
  offline: { fill: [138, 143, 152, 255], edge: [88, 92, 100, 255] },
};

const TEMPLATE_INK: Rgba = [0, 0, 0, 255];

/**
 * One tray state. Shapes differ, not only colours, so states stay apart in a monochrome template and for
 * colour-blind users: ok a disc, warning a triangle with "!", alert a disc with "!", offline a ring.
 */
export function trayIconShader(state: FleetHostState, template: boolean): Shader {
  const colours = STATE_COLOURS[state];
  const paint = (edgeDistance: number): Rgba => (template ? TEMPLATE_INK : edgeDistance < 0.07 ? colours.edge : colours.fill);
  switch (state) {
    case 'ok':
      return (u, v) => (distance(u, v, 0.5, 0.5) <= 0.44 ? paint(0.44 - distance(u, v, 0.5, 0.5)) : null);
    case 'alert':
      return (u, v) => {
        const from = distance(u, v, 0.5, 0.5);
        if (from > 0.46 || inExclamation(u, v, 0.2, 0.58, 0.74, 0.13)) return null;
        return paint(0.46 - from);
      };
    case 'warning': {
      const corners: [number, number][] = [
        [0.5, 0.04],
        [0.97, 0.92],
        [0.03, 0.92],
      ];
      return (u, v) => {
        if (!inTriangle(u, v, corners) || inExclamation(u, v, 0.36, 0.66, 0.79, 0.12)) return null;
        const inner = inTriangle(u, v, [
          [0.5, 0.17],
          [0.86, 0.86],
          [0.14, 0.86],
        ]);
        return paint(inner ? 1 : 0);
      };
    }
    case 'offline':
      return (u, v) => {
        const from = distance(u, v, 0.5, 0.5);
        return from <= 0.44 && from >= 0.28 ? paint(Math.min(0.44 - from, from - 0.28)) : null;
      };
  }
}

const APP_BACKGROUND: Rgba = [31, 42, 54, 255];

/** The app icon: a dark tile holding a 3×3 fleet of machines, most fine, one warning, one alerting. */
export function appIconShader(): Shader {
  const states: FleetHostState[] = ['ok', 'ok', 'warning', 'ok', 'ok', 'ok', 'alert', 'ok', 'ok'];
  const centres = [0.29, 0.5, 0.71];
  return (u, v) => {
    if (!inRoundedRect(u, v, 0.06, 0.06, 0.94, 0.94, 0.2)) return null;
    for (let index = 0; index < states.length; index++) {
      const cu = centres[index % 3]!;
      const cv = centres[Math.floor(index / 3)]!;
      if (distance(u, v, cu, cv) <= 0.085) return STATE_COLOURS[states[index]!].fill;
    }
    return APP_BACKGROUND;
  };
}
