// `npm run dist` (after the build): packages the app with electron-builder against an Electron binary
// that is already here: ELECTRON_OVERRIDE_DIST_PATH, or the electron package's, fetched first as `npm start`
// fetches it. Where there is none, one line says why and how to point at a local build, instead of
// electron-builder's own stack trace after its retries.
// Usage: npm run dist -- [--retry-electron] [electron-builder flags]

import path from 'node:path';
import { ensureElectron } from './start/ensure-electron.ts';
import { runInForeground } from './start/run-child.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OWN_FLAGS = ['--retry-electron'];

async function main(argv: string[]): Promise<number> {
  const electron = await ensureElectron({ root: ROOT, caller: 'npm run dist', retryHint: 'npm run dist -- --retry-electron', retry: argv.includes('--retry-electron') });
  if ('reason' in electron) {
    process.stderr.write(`npm run dist: cannot package without Electron's binary: ${electron.reason}.\n`);
    return 1;
  }
  const builder = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'electron-builder.cmd' : 'electron-builder');
  // electron-builder copies this folder instead of downloading Electron again.
  const args = [`--config.electronDist=${electron.distDir}`, ...argv.filter((arg) => !OWN_FLAGS.includes(arg))];
  return runInForeground(builder, args, { cwd: ROOT });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm run dist: ${error.message}\n`);
    process.exit(1);
  },
);
