import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRecorder, ofType, sleep, type Frame, type Recorder } from '../../test-support/ws-recorder';
import { FAKE_GPU_DIR, startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { parseNvidiaSmiCsv } from '../sampler/gpus';
import { systemCollectors, SystemSampler } from '../sampler/sampler';

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent(['--gpu-usage-interval', '1'], { fakeGpus: true });
});
afterAll(() => agent.close());

const isStatus = (frame: Frame): boolean => (frame.json as { status?: string } | undefined)?.status === 'subscribed';

describe('gpu-usage server', () => {
  it('answers subscribe:usage with subscribed, system_info and a first usage_update at once, then one per interval', async () => {
    const client = await connectRecorder(agent.url('gpu-usage'));
    client.send('subscribe:usage');
    const updates = await client.collect(ofType('usage_update'), 3, 5000);
    const order = client.frames.map((frame) => (isStatus(frame) ? 'subscribed' : (frame.json as { type: string }).type));
    expect(order.slice(0, 3)).toEqual(['subscribed', 'system_info', 'usage_update']);
    expect(updates[0]!.atMs).toBeLessThan(900);
    // Never sooner than one interval (less the join tolerance); the cadence test bounds the gap from above.
    expect(updates[1]!.atMs - updates[0]!.atMs).toBeGreaterThan(800);
    expect(updates[2]!.atMs - updates[1]!.atMs).toBeGreaterThan(800);

    const info = client.frames[1]!.json as Record<string, unknown>;
    expect(info).toEqual({
      type: 'system_info',
      cpu_count: expect.any(Number),
      cpu_model: expect.any(String),
      ram_total_mb: expect.any(Number),
      gpu_count: 2,
      gpus: [
        { index: 0, name: 'NVIDIA RTX A6000', memory_mb: 49140 },
        { index: 1, name: 'NVIDIA RTX A6000', memory_mb: 49140 },
      ],
      hostname: expect.any(String),
      timestamp: expect.any(Number),
    });
    expect(Number.isInteger(info.timestamp)).toBe(true);
    expect(Math.abs((info.timestamp as number) - Date.now() / 1000)).toBeLessThan(5);

    const update = updates[0]!.json as Record<string, number>;
    expect(Object.keys(update).sort()).toEqual(['cpu_percent', 'gpu_mem_total_mb', 'gpu_mem_used_mb', 'gpu_percent', 'ram_percent', 'ram_total_mb', 'ram_used_mb', 'timestamp', 'type']);
    expect(Number.isInteger(update.gpu_percent)).toBe(true);
    expect(update.cpu_percent).toBe(Math.round(update.cpu_percent! * 10) / 10);
    expect(update.ram_percent).toBe(Math.round(update.ram_percent! * 10) / 10);
    expect(update.ram_used_mb).toBeLessThanOrEqual(update.ram_total_mb!);
    client.close();
  });

  it('puts every client on one beat: a client joining mid-cycle waits one to two intervals for its second update, then gets one per interval', async () => {
    // GPUs read in-process from the recording: the spawned fake takes up to 0.8 s on a loaded test machine,
    // which would time process start-up rather than the cadence.
    const recorded = readFileSync(path.join(FAKE_GPU_DIR, 'recorded-query.csv'), 'utf8').split('\n').filter((line) => !line.startsWith('#'));
    const gpus = parseNvidiaSmiCsv(recorded.slice(0, recorded.indexOf('')).join('\n'));
    const sampler = new SystemSampler({ ...systemCollectors(), gpus: async () => ({ gpus, available: true }) });
    const cadenceAgent = await startTestAgent(['--gpu-usage-interval', '1'], { sampler });
    const first = await connectRecorder(cadenceAgent.url('gpu-usage'));
    const firstOpenedAt = Date.now();
    first.send('subscribe:usage');
    await first.next(ofType('usage_update'), 2000);
    const joiners: { recorder: Recorder; openedAt: number }[] = [];
    for (const offsetMs of [350, 300]) {
      await sleep(offsetMs);
      const recorder = await connectRecorder(cadenceAgent.url('gpu-usage'));
      joiners.push({ recorder, openedAt: Date.now() });
      recorder.send('subscribe:usage');
    }
    const beats = (await first.collect(ofType('usage_update'), 5, 9000)).map((update) => firstOpenedAt + update.atMs);
    for (const { recorder, openedAt } of joiners) {
      const updates = (await recorder.collect(ofType('usage_update'), 3, 6000)).map((update) => openedAt + update.atMs);
      const [joinGap, beatGap] = [updates[1]! - updates[0]!, updates[2]! - updates[1]!];
      // Never sooner than an interval (less the tolerance); the bounds above leave room for a loaded machine.
      expect(joinGap).toBeGreaterThan(800);
      expect(joinGap).toBeLessThan(2600);
      expect(beatGap).toBeGreaterThan(800);
      expect(beatGap).toBeLessThan(1600);
      // After its first gap, the joiner is served with the first client: one sample, one frame for both.
      for (const at of updates.slice(1)) expect(Math.min(...beats.map((beat) => Math.abs(beat - at)))).toBeLessThan(150);
    }
    for (const client of [first, ...joiners.map(({ recorder }) => recorder)]) client.close();
    await cadenceAgent.close();
  });

  it('streams to a client that never subscribes after about a second, as the newer generation does', async () => {
    const client = await connectRecorder(agent.url('gpu-usage'));
    const info = await client.next(ofType('system_info'), 3000);
    expect(info.atMs).toBeGreaterThanOrEqual(900);
    await client.next(ofType('usage_update'), 2000);
    expect(client.frames.some(isStatus)).toBe(false);
    client.close();
  });

  it('accepts any path', async () => {
    const url = agent.url('gpu-usage').replace('/usage', '/some/other/path');
    const client = await connectRecorder(url);
    client.send('subscribe:usage');
    await client.next(isStatus, 2000);
    client.close();
  });

  it('ignores every other message and keeps streaming to the same client', async () => {
    const client = await connectRecorder(agent.url('gpu-usage'));
    client.send('subscribe:usage');
    await client.next(ofType('usage_update'), 2000);
    for (const junk of ['hello', '{"type":"get_metrics"}', '{"cmd":"rm -rf /"}', '', 'subscribe:everything']) client.send(junk);
    client.send(randomBytes(512));
    const before = client.frames.filter(ofType('usage_update')).length;
    await client.collect(ofType('usage_update'), before + 1, 3000);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.close();
  });

  it('closes a client that sends a 1 MiB frame with 1009 while another client keeps receiving', async () => {
    const bystander = await connectRecorder(agent.url('gpu-usage'));
    bystander.send('subscribe:usage');
    await bystander.next(ofType('usage_update'), 2000);
    const attacker = await connectRecorder(agent.url('gpu-usage'));
    attacker.send(Buffer.alloc(1024 * 1024, 0x41));
    expect((await attacker.closed).code).toBe(1009);
    const before = bystander.frames.filter(ofType('usage_update')).length;
    await bystander.collect(ofType('usage_update'), before + 1, 3000);
    bystander.close();
  });

  it('logs hostile clients at debug level only, never as warnings or errors', () => {
    expect(agent.logs.some((line) => line.includes('Max payload size exceeded'))).toBe(true);
    expect(agent.logs.filter((line) => / (error|warn) /.test(line))).toEqual([]);
  });
});
