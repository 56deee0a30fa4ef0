// Against the built agent process (`npm run build` first): hostile socktop clients do not take it down,
// the bundled build reads processes.proto, and a machine without journalctl gets a clear error reply.

import { mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeError, decodeProcessMetrics } from '../../proto/socktop/details';
import { decodeProcesses } from '../../proto/socktop/processes';
import { spawnAgent } from '../../test-support/test-agent';
import { connectRecorder, sleep, type Frame, type Recorder } from '../../test-support/ws-recorder';
import { cleanupAfterEach } from '../../test-support/cleanups';

const TOKEN = 'socktop-process-test-7f3e';
const MAX_PATH_ENTRIES = 20_000;

const cleanups = cleanupAfterEach();

/** A PATH holding everything this one does except journalctl, so the agent runs as on a machine without it. */
function pathWithoutJournalctl(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-path-'));
  const seen = new Set<string>();
  for (const source of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    let names: string[];
    try {
      names = readdirSync(source);
    } catch {
      continue;
    }
    for (const name of names) {
      if (name === 'journalctl' || seen.has(name) || seen.size >= MAX_PATH_ENTRIES) continue;
      seen.add(name);
      symlinkSync(path.join(source, name), path.join(dir, name));
    }
  }
  return dir;
}

async function ask(client: Recorder, request: string, timeoutMs = 8000): Promise<Frame> {
  const before = client.frames.length;
  client.send(request);
  return (await client.collect(() => true, before + 1, timeoutMs))[before]!;
}

function rawTcp(port: number, payload: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.setTimeout(2000, () => socket.destroy());
  });
}

describe('socktop in the built agent process', () => {
  it('survives hostile clients, keeps answering a good one, serves protobuf processes and says journalctl is missing', async () => {
    const agent = await spawnAgent(['--socktop-token', TOKEN, '--log-level', 'debug'], { env: { PATH: pathWithoutJournalctl() } });
    cleanups.push(() => agent.stop('SIGKILL'));
    const url = agent.url('socktop');
    const port = Number(new URL(url).port);
    const good = await connectRecorder(`${url}?token=${TOKEN}`);
    cleanups.push(() => good.close());
    expect((await ask(good, 'get_metrics')).json).toMatchObject({ cpu_total: expect.any(Number), gpus: null });

    for (const query of ['', '?token=', '?token=wrong', `?token=${'x'.repeat(5000)}`]) await expect(connectRecorder(`${url}${query}`)).rejects.toThrow(/401/);
    for (let round = 0; round < 3; round += 1) {
      const attacker = await connectRecorder(`${url}?token=${TOKEN}`);
      for (const junk of ['subscribe:usage', 'not a request', '{"type":null}', 'get_process_metrics:../../etc/passwd', 'get_journal_entries:1;reboot', '\u0000\uffff']) attacker.send(junk);
      attacker.send(randomBytes(256));
      for (let index = 0; index < 40; index += 1) attacker.send(`get_process_metrics:${agent.child.pid}`);
      expect((await attacker.closed).code).toBe(1008);
      const heavy = await connectRecorder(`${url}?token=${TOKEN}`);
      heavy.send(Buffer.alloc(1024 * 1024, 0x67));
      expect((await heavy.closed).code).toBe(1009);
      expect((await ask(good, 'get_metrics')).json).toMatchObject({ cpu_total: expect.any(Number) });
    }
    await rawTcp(port, randomBytes(4096));
    await rawTcp(port, `GET /ws?token=${TOKEN} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n${'garbage'.repeat(100)}`);

    const processes = await ask(good, 'get_processes');
    expect(processes.binary).toBe(true);
    expect(decodeProcesses(new Uint8Array(processes.data))?.processes.some((row) => row.pid === agent.child.pid)).toBe(true);
    const details = decodeProcessMetrics((await ask(good, `get_process_metrics:${agent.child.pid}`)).json);
    expect(details).toMatchObject({ pid: agent.child.pid, parentPid: process.pid });
    expect(details?.command).toContain('out/agent/index.js');
    expect(decodeError((await ask(good, `get_journal_entries:${agent.child.pid}`)).json)).toEqual({
      message: 'journalctl is not installed on this machine, so there are no journal entries to read',
      request: 'get_journal_entries',
      pid: agent.child.pid,
    });

    await sleep(200);
    expect(agent.child.exitCode).toBeNull();
    expect(agent.stderr.join('\n')).not.toContain(TOKEN);
    expect(agent.stderr.filter((line) => line.includes('[socktop]') && / (error|warn) /.test(line))).toEqual([]);
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});
