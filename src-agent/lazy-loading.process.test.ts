// Against the built agent process (`npm run build` first): the agent pays for a protocol's libraries only
// once someone reads that protocol, which is most of what keeps an idle agent's RSS low (bench: idle).
// A preload (test-support/module-log) records every npm package the process loads, in order.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, spawnAgent } from '../test-support/test-agent';
import { connectRecorder, ofType, sleep } from '../test-support/ws-recorder';
import { cleanupAfterEach } from '../test-support/cleanups';

const RECORDER = path.join(REPO_ROOT, 'test-support/module-log/record-packages.mjs');
const cleanups = cleanupAfterEach();

describe('what the built agent loads', () => {
  it('loads no npm package while idle, ws with the first client, and a codec only for the protocol that needs it', async () => {
    const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-modules-')), 'packages.log');
    writeFileSync(log, '');
    const loaded = (): string[] => readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const agent = await spawnAgent([], { env: { MODULE_LOG: log }, nodeFlags: ['--import', pathToFileURL(RECORDER).href] });
    cleanups.push(() => agent.stop('SIGKILL'));

    // Start-up work (host info, vStats' first snapshot, discovery listening) is over well within this.
    await sleep(1500);
    expect(loaded()).toEqual([]);

    const servercontrol = await connectRecorder(agent.url('servercontrol', 'stream'));
    cleanups.push(() => servercontrol.close());
    await servercontrol.collect(ofType('stats_update'), 1, 5000);
    expect(loaded()).toEqual(['ws']);

    const socktop = await connectRecorder(agent.url('socktop'));
    cleanups.push(() => socktop.close());
    socktop.send('get_processes');
    const [processes] = await socktop.collect(() => true, 1, 8000);
    expect(processes?.binary).toBe(true);
    expect(loaded()).toEqual(expect.arrayContaining(['ws', 'zod', 'protobufjs', 'fflate']));
    expect(loaded()).not.toContain('systeminformation');
  });
});
