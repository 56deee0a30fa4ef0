// `npm start`: builds when out/ is missing or older than the sources, then opens the desktop app. Electron's
// binary is fetched here the first time (installs run no postinstall; see .npmrc). Where no window can
// open (no display, the download blocked, --web) it says why in one line and runs the agent and the hub,
// which serves the web dashboard. Usage: npm start -- [--no-build] [--web] [--retry-electron] [agent and hub flags]

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildReason } from './start/build-freshness.ts';
import { runAgentAndHub } from './start/agent-and-hub.ts';
import { missingDisplay } from './start/electron-binary.ts';
import { ensureElectron } from './start/ensure-electron.ts';
import { runInForeground } from './start/run-child.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OWN_FLAGS = ['--no-build', '--web', '--retry-electron'];

/** Electron's binary, fetching it when it is missing and fetching is worth trying; else why there is none. */
async function electronBinary(argv: string[]): Promise<{ binary: string } | { reason: string }> {
  if (argv.includes('--web')) return { reason: '--web was given' };
  const noDisplay = missingDisplay(process.platform, process.env);
  if (noDisplay) return { reason: noDisplay };
  return ensureElectron({ root: ROOT, caller: 'npm start', retryHint: 'npm start -- --retry-electron', retry: argv.includes('--retry-electron') });
}

async function main(argv: string[]): Promise<number> {
  const reason = argv.includes('--no-build') ? null : buildReason(ROOT);
  if (reason) {
    process.stdout.write(`npm start: building (${reason}) …\n`);
    const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) {
      process.stderr.write('npm start: the build failed; see above.\n');
      return build.status ?? 1;
    }
  }

  const passOn = argv.filter((arg) => !OWN_FLAGS.includes(arg));
  const electron = await electronBinary(argv);
  if ('binary' in electron) {
    // Chromium refuses to start as root without this; its own sandbox cannot run there.
    const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    return runInForeground(electron.binary, [ROOT, ...rootArgs, ...passOn], { cwd: ROOT });
  }

  process.stdout.write(`FleetWatch: no desktop window: ${electron.reason}. Serving the web dashboard instead.\n`);
  return runAgentAndHub(ROOT, passOn);
}

main(process.argv.slice(2)).then((code) => process.exit(code));
