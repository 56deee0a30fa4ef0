import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeError, decodeJournal, decodeProcessMetrics } from '../../proto/socktop/details';
import { isGzip } from '../../proto/socktop/gzip';
import { decodeProcesses } from '../../proto/socktop/processes';
import { connectRecorder, sleep, type Frame, type Recorder } from '../../test-support/ws-recorder';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { collectJournal } from '../sampler/journal';
import { systemCollectors, SystemSampler } from '../sampler/sampler';
import { MAX_PENDING_REQUESTS } from './socktop/client-socket';

let agent: TestAgent;
let tokenAgent: TestAgent;
beforeAll(async () => {
  [agent, tokenAgent] = await Promise.all([startTestAgent([], { fakeGpus: true }), startTestAgent(['--socktop-token', 'correct horse'])]);
});
afterAll(async () => {
  await Promise.all([agent.close(), tokenAgent.close()]);
});

const json = (frame: Frame): Record<string, unknown> => frame.json as Record<string, unknown>;
const any = (): boolean => true;

/** Sends one request and waits for the one reply it gets. */
async function ask(client: Recorder, request: string | Buffer, timeoutMs = 4000): Promise<Frame> {
  const before = client.frames.length;
  client.send(request);
  const [reply] = (await client.collect(any, before + 1, timeoutMs)).slice(before);
  return reply!;
}

/** Keeps asking for metrics, one at a time, and counts the replies, until stopped. */
function pollMetrics(client: Recorder): { stop(): Promise<number> } {
  let running = true;
  let replies = 0;
  const loop = (async () => {
    while (running) {
      await ask(client, 'get_metrics');
      replies += 1;
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return replies;
    },
  };
}

const METRICS_KEYS = ['cpu_per_core', 'cpu_temp_c', 'cpu_total', 'disks', 'gpus', 'hostname', 'mem_total', 'mem_used', 'networks', 'sampled_at_ms', 'swap_total', 'swap_used', 'top_processes'];

describe('socktop server', () => {
  it('answers get_metrics with one text frame holding exactly the documented keys, in bytes and whole numbers', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const reply = await ask(client, 'get_metrics');
    expect(reply.binary).toBe(false);
    const metrics = json(reply);
    expect(Object.keys(metrics).sort()).toEqual(METRICS_KEYS);
    expect(metrics).toMatchObject({ cpu_total: expect.any(Number), hostname: os.hostname(), disks: [], top_processes: [] });
    expect((metrics.cpu_per_core as number[]).length).toBe(os.availableParallelism());
    for (const key of ['mem_total', 'mem_used', 'swap_total', 'swap_used']) expect(Number.isInteger(metrics[key])).toBe(true);
    expect(metrics.mem_used as number).toBeLessThanOrEqual(metrics.mem_total as number);
    expect(Math.abs((metrics.sampled_at_ms as number) - Date.now())).toBeLessThan(5000);
    const networks = metrics.networks as { name: string; received: number; transmitted: number }[];
    expect(networks.length).toBeGreaterThan(0);
    for (const net of networks) expect(Object.keys(net).sort()).toEqual(['name', 'received', 'transmitted']);
    expect(networks.find((net) => net.name === 'lo')?.received).toBeGreaterThan(0);
    client.close();
  });

  it('sends each GPU with exactly the documented keys and each real-client alias once', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const gpus = json(await ask(client, 'get_metrics')).gpus as Record<string, unknown>[];
    expect(gpus).toHaveLength(2);
    for (const gpu of gpus) {
      expect(Object.keys(gpu).sort()).toEqual(['mem_total', 'mem_used', 'memory_total', 'memory_used', 'name', 'temp_c', 'usage', 'utilization']);
      expect(gpu.name).toBe('NVIDIA RTX A6000');
      expect(gpu.usage).toBe(gpu.utilization);
      expect(gpu.mem_total).toBe(gpu.memory_total);
      expect(gpu.mem_total).toBe(49140 * 1024 * 1024);
      expect(Number.isInteger(gpu.mem_used)).toBe(true);
    }
    client.close();
  });

  it('sends gpus null on a machine without GPUs', async () => {
    const client = await connectRecorder(tokenAgent.url('socktop') + '?token=correct%20horse');
    expect(json(await ask(client, 'get_metrics')).gpus).toBeNull();
    client.close();
  });

  it('answers the documented JSON requests as it answers the text ones', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    expect(Object.keys(json(await ask(client, '{"type":"metrics"}'))).sort()).toEqual(METRICS_KEYS);
    expect(Array.isArray((await ask(client, '{"type":"disks"}')).json)).toBe(true);
    expect((await ask(client, '{"type":"processes"}')).binary).toBe(true);
    client.close();
  });

  it('answers get_disks with a JSON array of name, total and available bytes', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const disks = (await ask(client, 'get_disks')).json as Record<string, unknown>[];
    expect(disks.length).toBeGreaterThan(0);
    for (const disk of disks) {
      expect(disk).toMatchObject({ name: expect.any(String), total: expect.any(Number), available: expect.any(Number) });
      expect(Object.keys(disk).every((key) => ['name', 'total', 'available', 'temperature', 'is_partition'].includes(key))).toBe(true);
      expect(disk.available as number).toBeLessThanOrEqual(disk.total as number);
    }
    client.close();
  });

  it('answers get_processes with a binary gzip protobuf list of every process, this one included, cpu as a machine share', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const reply = await ask(client, 'get_processes', 8000);
    expect(reply.binary).toBe(true);
    expect(isGzip(reply.data)).toBe(true);
    const list = decodeProcesses(new Uint8Array(reply.data));
    expect(list?.processCount).toBe(list?.processes.length);
    const self = list?.processes.find((row) => row.pid === process.pid);
    expect(self?.memoryBytes).toBeGreaterThan(0);
    const shares = list!.processes.map((row) => row.cpuPercent);
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...shares)).toBeLessThanOrEqual(100);
    client.close();
  });

  it('answers get_process_metrics:<pid> from /proc with the process and the time it was read', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const reply = json(await ask(client, `get_process_metrics:${process.pid}`));
    expect(Object.keys(reply.process as object)).toEqual(
      expect.arrayContaining(['pid', 'name', 'command', 'cpu_usage', 'mem_bytes', 'virtual_mem_bytes', 'thread_count', 'status', 'parent_pid', 'user_id', 'start_time']),
    );
    const details = decodeProcessMetrics(reply);
    expect(details).toMatchObject({ pid: process.pid, parentPid: process.ppid, userId: process.getuid!(), groupId: process.getgid!() });
    expect(details?.command).toContain('node');
    expect(details?.threadCount).toBeGreaterThan(1);
    expect(details?.memoryBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(details?.virtualMemoryBytes).toBeGreaterThan(details!.memoryBytes);
    expect(Math.abs(details!.startTimeMs - (Date.now() - process.uptime() * 1000))).toBeLessThan(10_000);
    expect(Math.abs(details!.timeMs - Date.now())).toBeLessThan(5000);
    client.close();
  });

  it('answers a bad or unknown pid with an error reply naming the request and the pid', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    expect(decodeError(json(await ask(client, 'get_process_metrics:abc')))).toEqual({ message: 'the pid must be a positive integer', request: 'get_process_metrics', pid: null });
    expect(decodeError(json(await ask(client, 'get_process_metrics:0')))).toMatchObject({ request: 'get_process_metrics', pid: null });
    expect(decodeError(json(await ask(client, 'get_journal_entries:-1')))).toMatchObject({ request: 'get_journal_entries', pid: null });
    expect(decodeError(json(await ask(client, 'get_process_metrics:4294967295')))).toEqual({ message: 'no process with pid 4294967295', request: 'get_process_metrics', pid: 4294967295 });
    client.close();
  });

  it('answers get_journal_entries:<pid> with the journal records journalctl gives', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const reply = json(await ask(client, `get_journal_entries:${process.pid}`));
    const journal = decodeJournal(reply);
    expect(journal, JSON.stringify(reply)).not.toBeNull();
    expect(reply.total_count).toBe(journal!.entries.length);
    expect(Math.abs(journal!.timeMs - Date.now())).toBeLessThan(5000);
    client.close();
  });

  it('answers get_journal_entries with an error saying so where journalctl is missing', async () => {
    const emptyPath = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-no-journalctl-'));
    const sampler = new SystemSampler({ ...systemCollectors(), journal: (pid) => collectJournal(pid, { env: { PATH: emptyPath } }) });
    const bare = await startTestAgent(['--no-gpu-usage'], { sampler });
    try {
      const client = await connectRecorder(bare.url('socktop'));
      const reply = decodeError(json(await ask(client, 'get_journal_entries:1')));
      expect(reply).toMatchObject({ request: 'get_journal_entries', pid: 1 });
      expect(reply?.message).toMatch(/journalctl is not installed/);
      client.close();
    } finally {
      await bare.close();
    }
  });

  it('answers requests sent together one by one, in order, one frame each', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    const requests = ['get_disks', `get_process_metrics:${process.pid}`, 'get_metrics', 'get_processes', `get_journal_entries:${process.pid}`, 'get_metrics', '{"type":"disks"}'];
    for (const request of requests) client.send(request);
    const replies = await client.collect(any, requests.length, 10_000);
    const kinds = replies.map((frame) => {
      if (frame.binary) return 'processes';
      if (Array.isArray(frame.json)) return 'disks';
      const body = json(frame);
      return 'cpu_total' in body ? 'metrics' : 'process' in body ? 'process' : 'entries' in body ? 'journal' : 'other';
    });
    expect(kinds).toEqual(['disks', 'process', 'metrics', 'processes', 'journal', 'metrics', 'disks']);
    await sleep(500);
    expect(client.frames).toHaveLength(requests.length);
    client.close();
  });

  it('ignores unknown requests and garbage without a reply, and answers the next real request', async () => {
    const client = await connectRecorder(agent.url('socktop'));
    for (const junk of ['subscribe:usage', 'hello', '', '{"type":"bogus"}', '{"type":"metrics"', 'null', '[1,2]', 'GET_METRICS', 'get_processes:1', '\u0000\uffff']) client.send(junk);
    client.send(randomBytes(512));
    client.send(Buffer.from('get_metrics'));
    await sleep(700);
    expect(client.frames).toHaveLength(0);
    const reply = await ask(client, 'get_metrics');
    expect(json(reply).cpu_total).toEqual(expect.any(Number));
    await sleep(300);
    expect(client.frames).toHaveLength(1);
    client.close();
  });

  it('never sends a frame or a WebSocket ping unprompted', async () => {
    const socket = new WebSocket(agent.url('socktop'));
    const seen: string[] = [];
    socket.on('ping', () => seen.push('ping'));
    socket.on('message', () => seen.push('message'));
    await new Promise((resolve) => socket.once('open', resolve));
    await sleep(3000);
    expect(seen).toEqual([]);
    socket.send('get_metrics');
    await sleep(1500);
    expect(seen).toEqual(['message']);
    socket.close();
  });

  it('closes a client that sends a 1 MiB frame with 1009 while another client keeps being answered', async () => {
    const bystander = await connectRecorder(agent.url('socktop'));
    const polling = pollMetrics(bystander);
    const attacker = await connectRecorder(agent.url('socktop'));
    attacker.send(Buffer.alloc(1024 * 1024, 0x61));
    expect((await attacker.closed).code).toBe(1009);
    await sleep(500);
    expect(await polling.stop()).toBeGreaterThan(1);
    bystander.close();
  });

  it(`closes a client with more than ${MAX_PENDING_REQUESTS} requests waiting, answering the others throughout`, async () => {
    const bystander = await connectRecorder(agent.url('socktop'));
    const polling = pollMetrics(bystander);
    const flooder = await connectRecorder(agent.url('socktop'));
    for (let index = 0; index < MAX_PENDING_REQUESTS + 8; index += 1) flooder.send(`get_process_metrics:${process.pid}`);
    expect((await flooder.closed).code).toBe(1008);
    expect(flooder.frames.length).toBeLessThan(MAX_PENDING_REQUESTS);
    await sleep(300);
    expect(await polling.stop()).toBeGreaterThan(0);
    bystander.close();
  });

  it('serves only /ws and answers plain HTTP with 426', async () => {
    const statuses: number[] = [];
    await expect(connectRecorder(agent.url('socktop').replace('/ws', '/other'), { onUnexpectedResponse: (status) => statuses.push(status) })).rejects.toThrow(/404/);
    const response = await fetch(agent.url('socktop').replace('ws://', 'http://'));
    expect(response.status).toBe(426);
    expect(statuses).toEqual([404]);
  });

  it('refuses a missing or wrong token with HTTP 401 before the upgrade and answers the right one', async () => {
    const url = tokenAgent.url('socktop');
    expect(url).not.toContain('token');
    await expect(connectRecorder(url)).rejects.toThrow(/401/);
    await expect(connectRecorder(`${url}?token=wrong`)).rejects.toThrow(/401/);
    await expect(connectRecorder(`${url}?token=correct%20hors`)).rejects.toThrow(/401/);
    await expect(connectRecorder(`${url}?token=`)).rejects.toThrow(/401/);
    const client = await connectRecorder(`${url}?token=correct%20horse`);
    expect(json(await ask(client, 'get_metrics')).cpu_total).toEqual(expect.any(Number));
    client.close();
  });

  it('declares a ready-to-connect URL carrying the token for clients on this machine', async () => {
    const [endpoint] = tokenAgent.connect.filter((candidate) => candidate.protocol === 'socktop');
    expect(endpoint?.url).toBe(`${tokenAgent.url('socktop')}?token=correct%20horse`);
    const client = await connectRecorder(endpoint!.url);
    expect(json(await ask(client, 'get_disks'))).toEqual(expect.any(Array));
    client.close();
    expect(agent.connect.find((candidate) => candidate.protocol === 'socktop')?.url).toBe(agent.url('socktop'));
  });

  it('logs hostile clients at debug level only and never logs the token', () => {
    expect(agent.logs.some((line) => line.includes('[socktop]') && line.includes('ignored'))).toBe(true);
    for (const running of [agent, tokenAgent]) {
      expect(running.logs.filter((line) => line.includes('[socktop]') && / (error|warn) /.test(line))).toEqual([]);
      expect(running.logs.join('\n')).not.toContain('correct horse');
    }
    expect(tokenAgent.logs.some((line) => line.includes('token required'))).toBe(true);
  });
});
