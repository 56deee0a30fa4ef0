// Clients not written by us, in another language (Python's `websockets`, from Debian's python3-websockets,
// which .ci/run installs), read our agent: the GPU usage stream as its document's example client does,
// and ServerControl's stream and ping.

import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAgent, type TestAgent } from './test-agent';

const PYTHON = '/usr/bin/python3';
const CLIENTS = path.join(import.meta.dirname, 'python-clients');
const hasPythonWebsockets = spawnSync(PYTHON, ['-c', 'import websockets'], { encoding: 'utf8' }).status === 0;

/** Asynchronous: the agent under test runs in this process and must keep serving meanwhile. */
function runPython(script: string, url: string, seconds: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(CLIENTS, script), url, String(seconds)], { timeout: (seconds + 10) * 1000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} failed (${code}): ${stderr}`));
      resolve(
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>),
      );
    });
  });
}

describe.runIf(hasPythonWebsockets)('clients in Python read our agent', () => {
  let agent: TestAgent;
  beforeAll(async () => {
    agent = await startTestAgent(['--gpu-usage-interval', '1'], { fakeGpus: true });
  });
  afterAll(() => agent.close());

  it("the GPU usage document's example client gets subscribed, system_info and usage_update with GPU 0", async () => {
    const messages = await runPython('gpu_usage_client.py', agent.url('gpu-usage'), 2.5);
    expect(messages[0]).toEqual({ status: 'subscribed' });
    expect(messages[1]).toMatchObject({ type: 'system_info', gpu_count: 2 });
    const updates = messages.filter((message) => message.type === 'usage_update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0]).toMatchObject({ cpu_percent: expect.any(Number), gpu_percent: expect.any(Number), timestamp: expect.any(Number) });
  });

  it('a Python ServerControl client gets its pong and a stats_update every second', async () => {
    const messages = await runPython('servercontrol_client.py', agent.url('servercontrol'), 2.5);
    expect(messages.some((message) => message.type === 'pong' && typeof message.timestamp === 'number')).toBe(true);
    expect(messages.filter((message) => message.type === 'stats_update').length).toBeGreaterThanOrEqual(2);
  });
});
