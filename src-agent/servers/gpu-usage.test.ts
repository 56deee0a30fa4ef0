import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRecorder, ofType, type Frame } from '../../test-support/ws-recorder';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';

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
    // The first update answers the subscription; the rest follow the shared ticker, one interval apart.
    expect(updates[2]!.atMs - updates[1]!.atMs).toBeGreaterThan(700);

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
