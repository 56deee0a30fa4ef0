// `npm start`: builds when out/ is missing or older than the sources, then runs the desktop app; where no
// Electron binary is usable (CI, headless servers, installs with ELECTRON_SKIP_BINARY_DOWNLOAD) it runs
// the agent with its web dashboard instead and says why. Usage: npm start -- [--no-build] [agent flags]

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/agent/index.js', 'out/renderer/index.html'];
const SOURCES = ['proto', 'src-agent', 'src-main', 'src-renderer', 'package.json', 'electron.vite.config.ts'];

/** Newest modification time under a path, skipping tests (they are not built). */
function newestMtimeMs(target) {
  const stats = statSync(target);
  if (!stats.isDirectory()) return /\.test\.tsx?$/.test(target) ? 0 : stats.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((name) => newestMtimeMs(path.join(target, name))));
}

/** Why a build is needed, or null when out/ is complete and newer than every source. */
function buildReason() {
  const missing = OUTPUTS.filter((output) => !existsSync(path.join(ROOT, output)));
  if (missing.length > 0) return `${missing.join(', ')} missing`;
  const builtAtMs = Math.min(...OUTPUTS.map((output) => statSync(path.join(ROOT, output)).mtimeMs));
  const stale = SOURCES.filter((source) => existsSync(path.join(ROOT, source)) && newestMtimeMs(path.join(ROOT, source)) > builtAtMs);
  return stale.length > 0 ? `${stale.join(', ')} changed since the last build` : null;
}

/** The Electron binary to run, or why there is none. */
function electronBinary() {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary;
  try {
    binary = createRequire(import.meta.url)('electron');
  } catch (error) {
    return { reason: `the electron package has no binary (${String(error.message).split('\n')[0]}); installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1, as CI's do, leave it out` };
  }
  if (typeof binary === 'string' && existsSync(binary)) return { binary };
  return { reason: override ? `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no Electron binary (looked for ${binary})` : `the electron package points at ${binary}, which does not exist` };
}

/**
 * Runs a child until it exits, passing Ctrl+C and SIGTERM on to it once; resolves with its exit code.
 * The child gets its own process group, so a terminal's Ctrl+C reaches it through us only, not twice.
 */
function runForwardingSignals(command, args, options, onStdoutLine) {
  const child = spawn(command, args, { ...options, detached: process.platform !== 'win32', stdio: [options.stdin ?? 'inherit', onStdoutLine ? 'pipe' : 'inherit', 'inherit'] });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  if (onStdoutLine) {
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onStdoutLine(line);
    });
  }
  return new Promise((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`npm start: cannot run ${command}: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });
}

/** Prints where to look once the agent says what it listens on. */
function describeAgentReport(line) {
  let report;
  try {
    report = JSON.parse(line);
  } catch {
    process.stdout.write(`${line}\n`);
    return;
  }
  const dashboard = report.endpoints?.find((endpoint) => endpoint.owner === 'dashboard');
  if (dashboard?.url) {
    process.stdout.write(`\nOpen ${dashboard.url} in a browser for the FleetWatch dashboard. Ctrl+C stops the agent.\n\n`);
    return;
  }
  const listening = (report.endpoints ?? []).map((endpoint) => `  ${endpoint.owner} ${endpoint.role}: ${endpoint.url ?? `${endpoint.kind} ${endpoint.host}:${endpoint.port}`}`);
  process.stdout.write(`\nThis build of the agent has no web dashboard (no --dashboard-port flag yet), so there is nothing to open in a browser.\nThe agent serves:\n${listening.join('\n')}\nCtrl+C stops it.\n\n`);
}

async function main(argv) {
  const noBuild = argv.includes('--no-build');
  const passOn = argv.filter((arg) => arg !== '--no-build');
  const reason = noBuild ? null : buildReason();
  if (reason) {
    process.stdout.write(`npm start: building (${reason}) …\n`);
    const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) {
      process.stderr.write('npm start: the build failed; see above.\n');
      return build.status ?? 1;
    }
  }

  const electron = electronBinary();
  if (electron.binary) {
    // Chromium refuses to start as root without this; its own sandbox cannot run there.
    const rootArgs = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
    return runForwardingSignals(electron.binary, [ROOT, ...rootArgs, ...passOn], { cwd: ROOT });
  }

  process.stdout.write(
    `FleetWatch: no desktop window, because ${electron.reason}.\n` +
      'Set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an Electron build to run the desktop app.\n' +
      'Starting the agent with its web dashboard instead …\n',
  );
  // The agent keeps a pipe from us open and exits when it closes: it never outlives this script.
  const agentArgs = [path.join(ROOT, 'out/agent/index.js'), '--json', '--exit-on-stdin-close', ...passOn];
  return runForwardingSignals(process.execPath, agentArgs, { cwd: ROOT, stdin: 'pipe' }, (line) => {
    if (line.startsWith('{')) describeAgentReport(line);
    else process.stdout.write(`${line}\n`);
  });
}

main(process.argv.slice(2)).then((code) => process.exit(code));
