// Whether out/ must be rebuilt before `npm start` runs it: missing outputs, or sources newer than them.

import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/agent/index.js', 'out/renderer/index.html'];
const SOURCES = ['proto', 'src-agent', 'src-main', 'src-renderer', 'package.json', 'electron.vite.config.ts'];

/** Newest modification time under a path, skipping tests (they are not built). */
function newestMtimeMs(target: string): number {
  const stats = statSync(target);
  if (!stats.isDirectory()) return /\.test\.tsx?$/.test(target) ? 0 : stats.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtimeMs(path.join(target, name))));
}

/** Why a build is needed, or null when out/ is complete and newer than every source. */
export function buildReason(root: string): string | null {
  const missing = OUTPUTS.filter((output) => !existsSync(path.join(root, output)));
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const builtAtMs = Math.min(...OUTPUTS.map((output) => statSync(path.join(root, output)).mtimeMs));
  const stale = SOURCES.filter((source) => existsSync(path.join(root, source)) && newestMtimeMs(path.join(root, source)) > builtAtMs);
  return stale.length > 0 ? `${stale.join(', ')} changed since the last build` : null;
}
