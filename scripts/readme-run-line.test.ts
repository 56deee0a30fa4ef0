import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electronZipName, sha256Hex, shasumsLine, standInElectronZip } from '../test-support/electron-stand-in';
import { readmeLine } from '../test-support/readme-lines';
import { REPO_ROOT } from '../test-support/test-agent';

// The README's Run line as a newcomer types it: a fresh clone of the committed tree, an empty home (so an
// empty npm cache and no user npm settings), the machine's own Node on PATH and no variable of ours. The
// install reaches the npm registry; everything after it runs in a network namespace of its own, where
// `npm start` binds the default ports and Electron's download is blocked as a firewall would block it.
// DISPLAY is set as on a desktop, so `npm start` tries that download instead of skipping it. Last, a
// release mirror inside the namespace stands in for GitHub where the download is possible; the "Electron"
// it serves is a shell script, a stand-in for the binary this machine cannot download.
// Run alone by `npm run test:fresh-clone` (vitest.fresh-clone.config.ts): minutes of install and build.

const RUN_LINE = readmeLine(REPO_ROOT, 'Run');
const [INSTALL_PART, START_PART] = splitAtLastAnd(RUN_LINE);
const NAMESPACE = `fw-readme-${process.pid}`;
const canRun = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0;

let workDir: string;
let clone: string;
let cleanEnv: NodeJS.ProcessEnv;

function splitAtLastAnd(line: string): [string, string] {
  const at = line.lastIndexOf(' && ');
  if (at === -1) throw new Error(`the Run line "${line}" has no install step before the start`);
  return [line.slice(0, at), line.slice(at + 4)];
}

/** The newcomer's environment: this machine's PATH without any project's node_modules/.bin, a new home. */
function newcomerEnv(home: string): NodeJS.ProcessEnv {
  const machinePath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !dir.includes(`${path.sep}node_modules${path.sep}`) && !dir.endsWith(`${path.sep}node_modules${path.sep}.bin`))
    .join(path.delimiter);
  // Certificates and proxies are the machine's, not ours: a newcomer's npm uses them too.
  const machine = Object.fromEntries(Object.entries(process.env).filter(([name]) => /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|https?_proxy|HTTPS?_PROXY|no_proxy|NO_PROXY)$/.test(name)));
  return { ...machine, PATH: machinePath, HOME: home, LANG: 'C.UTF-8', DISPLAY: ':99' };
}

function report(label: string, sinceMs: number): void {
  process.stdout.write(`readme run line: ${label} took ${((Date.now() - sinceMs) / 1000).toFixed(0)} s\n`);
}

interface Started {
  child: ChildProcess;
  output: () => string;
  url: Promise<string>;
}

/** Runs the start part in the namespace, in a process group of its own so the whole tree can be stopped. */
function startInNamespace(): Started {
  const child = spawn('ip', ['netns', 'exec', NAMESPACE, 'bash', '-c', START_PART], { cwd: clone, env: cleanEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const found = /^Open (http:\/\/\S+) in a browser/m.exec(output);
      if (found) resolve(found[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${START_PART} exited with ${code} before printing a URL:\n${output}`)));
  });
  return { child, output: () => output, url };
}

/** Ctrl+C as a terminal sends it (to the whole foreground group); resolves with what still runs in the namespace. */
async function stop(started: Started): Promise<string> {
  if (started.child.exitCode === null && started.child.signalCode === null) {
    const exited = new Promise((resolve) => started.child.once('exit', resolve));
    process.kill(-started.child.pid!, 'SIGINT');
    await exited;
  }
  // npm and its shell die of the SIGINT itself; start.ts and the agent it forwards it to close their sockets first.
  let remaining = '';
  for (let attempt = 0; attempt < 50; attempt++) {
    remaining = spawnSync('ip', ['netns', 'pids', NAMESPACE], { encoding: 'utf8' }).stdout.trim();
    if (remaining === '') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return remaining;
}

/** GET the URL from inside the namespace, where the dashboard listens. */
function fetchInNamespace(url: string): { status: number; title: string } {
  const node = path.join(clone, 'node_modules', '.bin', 'node');
  const script = `fetch(${JSON.stringify(url)}).then(async (r) => console.log(JSON.stringify({ status: r.status, title: /<title>([^<]*)<\\/title>/.exec(await r.text())?.[1] ?? '' })))`;
  const run = spawnSync('ip', ['netns', 'exec', NAMESPACE, node, '-e', script], { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`fetching ${url} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { status: number; title: string };
}

if (!canRun) process.stdout.write('readme run line: skipped: it needs root and iproute2 on Linux for a network namespace of its own\n');

describe.skipIf(!canRun)("the README's Run line on a fresh clone", () => {
  beforeAll(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-fresh-clone-'));
    clone = path.join(workDir, 'repo');
    const home = path.join(workDir, 'home');
    mkdirSync(home);
    cleanEnv = newcomerEnv(home);
    const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', REPO_ROOT, clone], { encoding: 'utf8' });
    if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
    spawnSync('ip', ['netns', 'add', NAMESPACE]);
    spawnSync('ip', ['-n', NAMESPACE, 'link', 'set', 'lo', 'up']);
  });

  afterAll(() => {
    spawnSync('ip', ['netns', 'del', NAMESPACE]);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it(`installs with "${INSTALL_PART}", with no install script and Node 24 for every npm script`, () => {
    const startedMs = Date.now();
    const install = spawnSync('bash', ['-c', INSTALL_PART], { cwd: clone, env: cleanEnv, encoding: 'utf8', timeout: 15 * 60_000 });
    report(INSTALL_PART, startedMs);
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    expect(readdirSync(path.join(workDir, 'home', '.npm'))).toContain('_cacache');
    // No postinstall ran: Electron's binary was not fetched at install time.
    expect(existsSync(path.join(clone, 'node_modules', 'electron', 'path.txt'))).toBe(false);
    const machineNode = spawnSync('node', ['--version'], { env: cleanEnv, encoding: 'utf8' }).stdout.trim();
    const scriptNode = spawnSync('npm', ['exec', '--', 'node', '--version'], { cwd: clone, env: cleanEnv, encoding: 'utf8' }).stdout.trim();
    process.stdout.write(`readme run line: the machine's node is ${machineNode}; npm scripts run ${scriptNode}\n`);
    expect(scriptNode).toMatch(/^v24\./);
  });

  it(`"${START_PART}" says in one line that Electron's download failed, serves the dashboard and prints its URL`, async () => {
    const startedMs = Date.now();
    const started = startInNamespace();
    try {
      const url = await started.url;
      report(`the first ${START_PART} until its URL`, startedMs);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/\?token=[\w-]{32}$/);
      expect(fetchInNamespace(url)).toEqual({ status: 200, title: 'FleetWatch' });
      const output = started.output();
      expect(output).toMatch(/^npm start: building \(/m);
      expect(output).toMatch(/^npm start: downloading Electron \S+ for linux-x64 \(first run only\) …$/m);
      expect(output).toMatch(/^FleetWatch: no desktop window: Electron's download failed \([^)\n]+\); set ELECTRON_OVERRIDE_DIST_PATH to a local Electron build to use it\. Serving the web dashboard instead\.$/m);
      expect(output).not.toMatch(/^\s+at /m);
    } finally {
      expect(await stop(started), 'processes left in the namespace after Ctrl+C').toBe('');
    }
  });

  it(`"${START_PART}" again remembers the failed download and builds nothing`, async () => {
    const started = startInNamespace();
    try {
      const url = await started.url;
      expect(fetchInNamespace(url).status).toBe(200);
      const output = started.output();
      expect(output).not.toMatch(/building|downloading Electron/);
      expect(output).toMatch(/^FleetWatch: no desktop window: Electron's download failed just now \([^)\n]+\); npm start -- --retry-electron tries again\. Serving the web dashboard instead\.$/m);
    } finally {
      expect(await stop(started), 'processes left in the namespace after Ctrl+C').toBe('');
    }
  });

  it(`"${START_PART}" where the download works fetches Electron and opens the app in it, with no other step`, async () => {
    const version = (JSON.parse(readFileSync(path.join(clone, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    const zipName = electronZipName(version);
    const release = path.join(workDir, 'mirror', `v${version}`);
    mkdirSync(release, { recursive: true });
    const zip = standInElectronZip('#!/bin/sh\necho "stand-in electron started with: $*"\n', version);
    writeFileSync(path.join(release, zipName), zip);
    writeFileSync(path.join(release, 'SHASUMS256.txt'), shasumsLine(zipName, sha256Hex(zip)));
    const mirror = spawn('ip', ['netns', 'exec', NAMESPACE, '/usr/bin/python3', '-u', '-m', 'http.server', '--bind', '127.0.0.1', '8999', '--directory', path.join(workDir, 'mirror')], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        mirror.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('Serving HTTP')) resolve();
        });
        mirror.once('exit', (code) => reject(new Error(`the mirror exited with ${code}`)));
      });
      // ELECTRON_MIRROR and remote checksums, as electron documents them: the only change from a newcomer's setup.
      const env = { ...cleanEnv, ELECTRON_MIRROR: 'http://127.0.0.1:8999/', electron_use_remote_checksums: '1' };
      const run = spawnSync('ip', ['netns', 'exec', NAMESPACE, 'bash', '-c', `${START_PART} -- --retry-electron`], { cwd: clone, env, encoding: 'utf8', timeout: 120_000 });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^npm start: downloading Electron \S+ for linux-x64 \(first run only\) …$/m);
      expect(run.stdout).toMatch(/^ {2}unpacking …$/m);
      expect(run.stdout).toContain(`stand-in electron started with: ${clone} --no-sandbox`);
      expect(run.stdout).not.toContain('no desktop window');
    } finally {
      mirror.kill();
    }
  });
});
