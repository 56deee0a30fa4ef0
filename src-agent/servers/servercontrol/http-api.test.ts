import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlags } from '../../cli/parse';
import { agentFlags, startAgent } from '../../agent';
import { createLogger } from '../../log';
import { SAFE_ENV, startTestAgent, tempDataDir, ephemeralPortArgs, type TestAgent } from '../../../test-support/test-agent';
import { connectRecorder, ofType, sleep, type Recorder } from '../../../test-support/ws-recorder';

const TOKEN = 'test-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

/** A raw HTTP request, so a test can send what fetch would refuse to (huge or malformed bodies). */
function request(base: string, method: string, path: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const outgoing = http.request(url, { method, headers: { 'content-type': 'application/json', ...options.headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    // The server may refuse and close before reading a large body; its answer is what the test checks.
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

const auth = { authorization: `Bearer ${TOKEN}` };

describe('servercontrol HTTP API with exec off (the default)', () => {
  let agent: TestAgent;
  let base: string;
  beforeAll(async () => {
    agent = await startTestAgent();
    base = agent.url('servercontrol', 'api');
  });
  afterAll(() => agent.close());

  it('serves GET /stats in the units of stats_update and GET /hostname', async () => {
    const stats = await request(base, 'GET', '/stats');
    expect(stats.status).toBe(200);
    expect(stats.headers['content-type']).toBe('application/json');
    expect(stats.json).toEqual({ cpu: expect.any(Number), ram_used: expect.any(Number), ram_total: expect.any(Number) });
    const { ram_used, ram_total } = stats.json as Record<string, number>;
    expect(Number.isInteger(ram_used) && Number.isInteger(ram_total) && ram_used! <= ram_total!).toBe(true);
    const hostname = await request(base, 'GET', '/hostname');
    expect(hostname.json).toEqual({ hostname: (await agent.sampler.hostInfo()).hostname });
  });

  it('refuses /exec and /kill with 403 and a JSON error, token or not, and runs nothing', async () => {
    for (const headers of [{}, auth] as Record<string, string>[]) {
      const exec = await request(base, 'POST', '/exec', { body: '{"cmd":"touch /tmp/should-not-exist"}', headers });
      expect(exec.status).toBe(403);
      expect(exec.json).toEqual({ error: expect.stringContaining('--allow-exec') });
      const kill = await request(base, 'POST', '/kill?id=1', { headers });
      expect(kill.status).toBe(403);
      expect(kill.json).toEqual({ error: expect.any(String) });
    }
    expect(agent.logs.some((line) => line.includes('exec: task'))).toBe(false);
  });

  it('lists no tasks, as a server that has run none', async () => {
    const tasks = await request(base, 'GET', '/tasks');
    expect(tasks.status).toBe(200);
    expect(tasks.json).toEqual([]);
  });

  it('answers unknown paths with 404 and wrong methods with 405, both as JSON', async () => {
    const missing = await request(base, 'GET', '/admin');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: expect.any(String) });
    const prototype = await request(base, 'GET', '/__proto__');
    expect(prototype.status).toBe(404);
    const wrong = await request(base, 'GET', '/exec');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.json).toEqual({ error: expect.any(String) });
  });
});

describe('servercontrol HTTP API with --allow-exec and --token', () => {
  let agent: TestAgent;
  let base: string;
  let watcher: Recorder;
  beforeAll(async () => {
    agent = await startTestAgent(['--allow-exec', '--token', TOKEN]);
    base = agent.url('servercontrol', 'api');
    watcher = await connectRecorder(agent.url('servercontrol'));
  });
  afterAll(async () => {
    watcher.close();
    await agent.close();
  });

  const exec = async (command: string, key = 'cmd'): Promise<string> => {
    const reply = await request(base, 'POST', '/exec', { body: JSON.stringify({ [key]: command }), headers: auth });
    expect(reply.status, reply.text).toBe(200);
    const taskId = (reply.json as { task_id: string }).task_id;
    expect(typeof taskId).toBe('string');
    return taskId;
  };
  const taskFrames = (taskId: string) => (frame: { json: unknown }) => (frame.json as { task_id?: unknown } | undefined)?.task_id === taskId;

  it('refuses every task endpoint with 401 and a JSON error without the token or with a wrong one', async () => {
    const attempts: [string, string, string?][] = [
      ['POST', '/exec', '{"cmd":"touch /tmp/should-not-exist"}'],
      ['POST', '/kill?id=1'],
      ['GET', '/tasks'],
      ['GET', '/logs?id=1'],
    ];
    const wrongHeaders: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }];
    for (const headers of wrongHeaders) {
      for (const [method, path, body] of attempts) {
        const reply = await request(base, method, path, { body, headers });
        expect(reply.status, `${method} ${path} with ${JSON.stringify(headers)}`).toBe(401);
        expect(reply.headers['www-authenticate']).toBe('Bearer');
        expect(reply.json).toEqual({ error: expect.any(String) });
      }
    }
    expect((await request(base, 'GET', '/stats')).status).toBe(200);
  });

  it('runs a command, answers its decimal task id, and streams task_start, task_output and task_complete to WebSocket clients', async () => {
    const taskId = await exec('echo hi; echo oops >&2; exit 4');
    expect(taskId).toMatch(/^[1-9][0-9]*$/);
    const frames = await watcher.collect((frame) => ofType('task_complete')(frame) && taskFrames(taskId)(frame), 1, 5000).then(() => watcher.frames.filter(taskFrames(taskId)));
    const start = frames[0]!.json;
    expect(start).toEqual({ type: 'task_start', task_id: taskId, command: 'echo hi; echo oops >&2; exit 4' });
    const outputs = frames.filter(ofType('task_output')).map((frame) => frame.json as { output: string; timestamp: number });
    expect(outputs.map((output) => output.output).join('').split('\n').sort()).toEqual(['', 'hi', 'oops']);
    for (const output of outputs) expect(Math.abs(output.timestamp - Date.now())).toBeLessThan(5000);
    expect(frames.at(-1)!.json).toEqual({ type: 'task_complete', task_id: taskId, exit_code: 4 });

    const tasks = await request(base, 'GET', '/tasks', { headers: auth });
    expect(tasks.json).toContainEqual({ id: taskId, running: false, command: 'echo hi; echo oops >&2; exit 4' });
    const logs = await request(base, 'GET', `/logs?id=${taskId}`, { headers: auth });
    expect((logs.json as { logs: string }).logs.split('\n').sort()).toEqual(['', 'hi', 'oops']);
  });

  it('accepts "command" as well as "cmd" and counts task ids up by one', async () => {
    const first = await exec('true', 'command');
    const second = await exec('true');
    expect(Number(second)).toBe(Number(first) + 1);
  });

  it('writes one audit line per /exec naming the task, the caller and the command, and never logs the token', async () => {
    const taskId = await exec('echo audited');
    const lines = agent.logs.filter((line) => line.includes(`exec: task ${taskId} `));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ audit \[servercontrol\] exec: task \d+ from (::ffff:)?127\.0\.0\.1: "echo audited"$/);
    expect(agent.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
  });

  it('answers bad bodies with 400, oversized ones with 413, both as JSON, and runs nothing', async () => {
    const before = ((await request(base, 'GET', '/tasks', { headers: auth })).json as unknown[]).length;
    for (const body of ['not json', '{"cmd":42}', '{"cmd":""}', '[]', '{}', '{"cmd":"a\\u0000b"}']) {
      const reply = await request(base, 'POST', '/exec', { body, headers: auth });
      expect(reply.status, body).toBe(400);
      expect(reply.json).toEqual({ error: expect.any(String) });
    }
    const declared = await request(base, 'POST', '/exec', { body: JSON.stringify({ cmd: 'x'.repeat(100 * 1024) }), headers: auth });
    expect(declared.status).toBe(413);
    expect(declared.json).toEqual({ error: expect.any(String) });
    const chunked = await request(base, 'POST', '/exec', { body: Buffer.alloc(1024 * 1024, 0x20), headers: { ...auth, 'transfer-encoding': 'chunked' } });
    expect(chunked.status).toBe(413);
    const after = ((await request(base, 'GET', '/tasks', { headers: auth })).json as unknown[]).length;
    expect(after).toBe(before);
    expect((await request(base, 'GET', '/stats')).status).toBe(200);
  });

  it('kills the task process group on POST /kill, children included', async () => {
    const taskId = await exec('sleep 300 & echo "child $!"; wait');
    const output = await watcher.next((frame) => ofType('task_output')(frame) && taskFrames(taskId)(frame), 5000);
    const childPid = Number(/child (\d+)/.exec((output.json as { output: string }).output)![1]);
    const killed = await request(base, 'POST', `/kill?id=${taskId}`, { headers: auth });
    expect(killed.status).toBe(200);
    expect(killed.json).toEqual({ task_id: taskId, killed: true });
    const complete = await watcher.next((frame) => ofType('task_complete')(frame) && taskFrames(taskId)(frame), 5000);
    expect((complete.json as { exit_code: number }).exit_code).toBe(143);
    expect(await exitedWithin(childPid, 2000)).toBe(true);
    expect(agent.logs.some((line) => line.includes(`kill: task ${taskId} from`))).toBe(true);
    const again = await request(base, 'POST', `/kill?id=${taskId}`, { headers: auth });
    expect(again.status).toBe(409);
  });

  it('answers /kill and /logs for unknown or malformed ids with 404 and 400', async () => {
    expect((await request(base, 'POST', '/kill?id=999999', { headers: auth })).status).toBe(404);
    expect((await request(base, 'GET', '/logs?id=999999', { headers: auth })).status).toBe(404);
    for (const query of ['', '?id=', '?id=abc', '?id=-1', '?id=0', '?id=1;rm']) {
      const reply = await request(base, 'POST', `/kill${query}`, { headers: auth });
      expect(reply.status, query).toBe(400);
      expect(reply.json).toEqual({ error: expect.any(String) });
    }
  });

  it('keeps streaming stats_update to WebSocket clients throughout', async () => {
    const seen = watcher.frames.filter(ofType('stats_update')).length;
    await watcher.collect(ofType('stats_update'), seen + 2, 4000);
  });
});

describe('servercontrol audit lines with --log-level error', () => {
  it('still writes the /exec and /kill audit lines, and nothing below error besides them', async () => {
    const agent = await startTestAgent(['--allow-exec', '--token', TOKEN, '--log-level', 'error']);
    try {
      const base = agent.url('servercontrol', 'api');
      const reply = await request(base, 'POST', '/exec', { body: '{"cmd":"sleep 30"}', headers: auth });
      expect(reply.status, reply.text).toBe(200);
      const taskId = (reply.json as { task_id: string }).task_id;
      expect((await request(base, 'POST', `/kill?id=${taskId}`, { headers: auth })).status).toBe(200);
      expect(agent.logs.filter((line) => / audit \[servercontrol\] (exec|kill): task /.test(line))).toEqual([
        expect.stringMatching(new RegExp(`exec: task ${taskId} from (::ffff:)?127\\.0\\.0\\.1: "sleep 30"$`)),
        expect.stringMatching(new RegExp(`kill: task ${taskId} from (::ffff:)?127\\.0\\.0\\.1$`)),
      ]);
      expect(agent.logs.filter((line) => /^\S+ (warn|info|debug) /.test(line))).toEqual([]);
    } finally {
      await agent.close();
    }
  });
});

describe('servercontrol --allow-exec without --token', () => {
  it('reports one clear line at start, keeps exec off and keeps everything else running', async () => {
    const { flags } = parseFlags(agentFlags(), ['--allow-exec', '--data-dir', tempDataDir(), ...ephemeralPortArgs(['--allow-exec'])], SAFE_ENV);
    const logs: string[] = [];
    const agent = await startAgent({ flags, log: createLogger('debug', (line) => logs.push(line)) });
    try {
      const mine = agent.failures.filter((failure) => failure.startsWith('servercontrol'));
      expect(mine).toEqual(['servercontrol: --allow-exec needs --token (the bearer token for /exec); remote command execution stays off']);
      const api = agent.endpoints.find((endpoint) => endpoint.owner === 'servercontrol' && endpoint.role === 'api')!;
      const reply = await request(api.url!, 'POST', '/exec', { body: '{"cmd":"true"}' });
      expect(reply.status).toBe(403);
      const stream = agent.endpoints.find((endpoint) => endpoint.owner === 'servercontrol' && endpoint.role === 'stream')!;
      const client = await connectRecorder(stream.url!);
      await client.next(ofType('stats_update'), 3000);
      client.close();
    } finally {
      await agent.close();
    }
  });
});

describe('servercontrol on agent close', () => {
  it('kills running tasks when the agent closes', async () => {
    const agent = await startTestAgent(['--allow-exec', '--token', TOKEN]);
    const watcher = await connectRecorder(agent.url('servercontrol'));
    const reply = await request(agent.url('servercontrol', 'api'), 'POST', '/exec', { body: '{"cmd":"sleep 300 & echo \\"child $!\\"; wait"}', headers: auth });
    const output = await watcher.next(ofType('task_output'), 5000);
    const childPid = Number(/child (\d+)/.exec((output.json as { output: string }).output)![1]);
    expect(reply.status).toBe(200);
    await agent.close();
    expect(await exitedWithin(childPid, 2000)).toBe(true);
  });
});

/** Polls /proc for a bounded time; a zombie counts as exited. */
async function exitedWithin(pid: number, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited <= timeoutMs; waited += 50) {
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true;
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}
