import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ephemeralPortArgs, REPO_ROOT, tempDataDir } from '../test-support/test-agent';
import { isAlive } from '../test-support/is-alive';

// scripts/start.ts where no window can open (as here and in CI): it must start the built agent with its
// dashboard, say why in one line, and stop the agent on Ctrl+C. Its Electron download is tested in
// scripts/start/electron-download.test.ts, and the whole README Run line in scripts/readme-run-line.test.ts.

const { DISPLAY: _display, WAYLAND_DISPLAY: _wayland, ...ENV_WITHOUT_DISPLAY } = process.env;

/** The status of "This computer" in the hub's first stream message. */
async function thisComputerStatus(origin: string, cookie: string): Promise<string | undefined> {
  const controller = new AbortController();
  const response = await fetch(`${origin}/api/hub/stream`, { headers: { Cookie: cookie }, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
  controller.abort();
  const snapshot = JSON.parse(text.slice(text.indexOf('data: ') + 6, text.indexOf('\n\n'))) as { hosts: { local: boolean; status: string }[] };
  return snapshot.hosts.find((host) => host.local)?.status;
}

describe('npm start without a window', () => {
  it.each([
    { why: 'no display', env: ENV_WITHOUT_DISPLAY, line: /^FleetWatch: no desktop window: this session has no display \(neither DISPLAY nor WAYLAND_DISPLAY is set\)\. Serving the web dashboard instead\.$/m },
    { why: 'an Electron build that is not there', env: { ...process.env, DISPLAY: ':99' }, line: /^FleetWatch: no desktop window: ELECTRON_OVERRIDE_DIST_PATH=\S+ holds no Electron binary \(looked for \S+\)\. Serving the web dashboard instead\.$/m },
  ])('serves the dashboard instead when there is $why, says why, and leaves nothing running after Ctrl+C', async ({ env, line }) => {
    const noElectron = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-no-electron-'));
    const dataDir = tempDataDir();
    onTestFinished(() => {
      rmSync(noElectron, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    });
    const start = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts/start.ts'), '--no-build', '--data-dir', dataDir, ...ephemeralPortArgs([])], {
      cwd: REPO_ROOT,
      // An empty folder as the Electron build: the same path a machine without the binary takes, here
      // even where a developer has Electron installed.
      env: { ...env, ELECTRON_OVERRIDE_DIST_PATH: noElectron, FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      start.kill('SIGKILL');
    });
    let output = '';
    start.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const openLine = await new Promise<string>((resolve, reject) => {
      start.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        const line = output.split('\n').find((candidate) => /^Open http|serves no web dashboard/.test(candidate));
        if (line) resolve(line);
      });
      start.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    expect(output).toMatch(line);
    expect(output).not.toMatch(/^\s+at /m);
    expect(openLine).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+ in a browser/);
    // The printed address logs a browser in: it trades the token for a cookie that opens the API.
    const opened = await fetch(/http:\/\/\S+/.exec(openLine)![0], { redirect: 'manual' });
    expect(opened.status).toBe(303);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const origin = new URL(opened.url).origin;
    expect((await fetch(`${origin}/api/discovery`)).status).toBe(401);
    expect((await fetch(`${origin}/api/discovery`, { headers: { Cookie: cookie } })).status).toBe(200);
    // The hub serves the page and shows this computer through the agent beside it.
    expect(await (await fetch(`${origin}/api/mode`)).json()).toEqual({ mode: 'hub' });
    await expect.poll(() => thisComputerStatus(origin, cookie), { timeout: 15_000 }).toBe('online');

    // The agent and the hub are the script's only children.
    const children = readFileSync(`/proc/${start.pid}/task/${start.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(children).toHaveLength(2);
    for (const pid of children) expect(isAlive(pid)).toBe(true);
    start.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => start.once('exit', resolve));
    expect(code).toBe(0);
    for (const pid of children) expect(isAlive(pid)).toBe(false);
  });
});
