import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { electronZipName, sha256Hex, shasumsLine, standInElectronZip } from '../../test-support/electron-stand-in';
import { freePort } from '../../test-support/free-port';
import { REPO_ROOT } from '../../test-support/test-agent';
import { electronPackageDir, electronVersion, installedElectron } from './electron-binary.ts';
import { downloadElectron, type DownloadProgress } from './electron-download.ts';

// `npm start`'s Electron download through the installed @electron/get and electron's own install.js,
// against a mirror on loopback (ELECTRON_MIRROR, as electron documents; GitHub cannot be reached from
// here). The "Electron" in the mirror's zip is a shell script: a stand-in for the binary this machine
// cannot download.

const cleanups = cleanupAfterEach();
const REAL_ELECTRON_DIR = electronPackageDir(REPO_ROOT);
const VERSION = electronVersion(REAL_ELECTRON_DIR);
const ZIP_NAME = electronZipName(VERSION);
const STAND_IN_OUTPUT = 'stand-in electron ran';

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the electron package (without a binary) whose dist/ a test may fill. */
function electronPackageCopy(): string {
  const dir = path.join(tempDir('fleetwatch-electron-pkg-'), 'electron');
  mkdirSync(dir);
  for (const file of ['package.json', 'index.js', 'install.js', 'checksums.json']) copyFileSync(path.join(REAL_ELECTRON_DIR, file), path.join(dir, file));
  symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function standInZip(): Buffer {
  return standInElectronZip(`#!/bin/sh\necho '${STAND_IN_OUTPUT}'\n`, VERSION);
}

/** A release mirror on loopback; `respond` decides per request path. */
async function mirror(respond: (urlPath: string, response: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((request, response) => respond(request.url ?? '', response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)), () => server.closeAllConnections());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

function releaseMirror(zip: Buffer, shasum = sha256Hex(zip)): Promise<string> {
  return mirror((urlPath, response) => {
    if (urlPath === `/v${VERSION}/${ZIP_NAME}`) response.writeHead(200, { 'content-length': zip.length }).end(zip);
    else if (urlPath === `/v${VERSION}/SHASUMS256.txt`) response.end(shasumsLine(ZIP_NAME, shasum));
    else response.writeHead(404).end();
  });
}

function downloadEnv(mirrorUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, ELECTRON_MIRROR: mirrorUrl, electron_use_remote_checksums: '1', electron_config_cache: tempDir('fleetwatch-electron-cache-'), ELECTRON_OVERRIDE_DIST_PATH: '' };
}

describe("npm start's Electron download", () => {
  it('fetches, checks and unpacks the binary through electron\'s own install.js, showing progress', async () => {
    const electronDir = electronPackageCopy();
    const env = downloadEnv(await releaseMirror(standInZip()));
    expect(installedElectron(electronDir, env)).toEqual({ reason: `Electron ${VERSION} is not downloaded yet`, downloadable: true });

    const progress: DownloadProgress[] = [];
    const outcome = await downloadElectron({ electronDir, stallMs: 10_000, env, onProgress: (step) => progress.push(step) });

    expect(outcome).toEqual({ ok: true });
    expect(progress.at(-1)).toEqual({ extracting: true });
    expect(progress.some((step) => 'totalBytes' in step && step.totalBytes > 0)).toBe(true);
    const found = installedElectron(electronDir, env);
    expect(found).toEqual({ binary: path.join(electronDir, 'dist', 'electron'), distDir: path.join(electronDir, 'dist') });
    const run = spawnSync((found as { binary: string }).binary, { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(STAND_IN_OUTPUT);
  });

  it('refuses a binary whose checksum does not match, and leaves nothing to run', async () => {
    const electronDir = electronPackageCopy();
    const env = downloadEnv(await releaseMirror(standInZip(), sha256Hex(Buffer.from('another file'))));

    const outcome = await downloadElectron({ electronDir, stallMs: 10_000, env });

    expect(outcome.ok).toBe(false);
    expect((outcome as { reason: string }).reason).toMatch(/checksum/i);
    expect((outcome as { reason: string }).reason).not.toContain('\n');
    expect(existsSync(path.join(electronDir, 'path.txt'))).toBe(false);
  });

  it('says in one line that the host refused the connection', async () => {
    const electronDir = electronPackageCopy();
    const env = downloadEnv(`http://127.0.0.1:${await freePort()}/`);

    const outcome = await downloadElectron({ electronDir, stallMs: 10_000, env });

    expect(outcome).toEqual({ ok: false, reason: expect.stringMatching(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/) });
  });

  it('gives up on a mirror that accepts the connection and then sends nothing', async () => {
    const electronDir = electronPackageCopy();
    const env = downloadEnv(await mirror(() => undefined));

    const outcome = await downloadElectron({ electronDir, stallMs: 1000, env });

    expect(outcome).toEqual({ ok: false, reason: 'no data arrived for 1 s' });
    expect(existsSync(path.join(electronDir, 'path.txt'))).toBe(false);
  });

  it('gives up on a download that stops halfway', async () => {
    const electronDir = electronPackageCopy();
    const zip = standInZip();
    const env = downloadEnv(
      await mirror((urlPath, response) => {
        if (urlPath.endsWith('.zip')) response.writeHead(200, { 'content-length': zip.length * 2 }).write(zip);
        else response.writeHead(404).end();
      }),
    );

    const outcome = await downloadElectron({ electronDir, stallMs: 1000, env });

    expect(outcome).toEqual({ ok: false, reason: 'no data arrived for 1 s' });
  });
});
