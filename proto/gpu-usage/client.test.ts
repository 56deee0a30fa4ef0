import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { replaySession, type FixtureServer, type FixtureOptions } from '../../test-support/fixture-server';

import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { gpuUsageClient } from './client';
import { connectClient, serveFixture } from '../../test-support/client-harness';
import { cleanupAfterEach } from '../../test-support/cleanups';

const MIB = 1024 * 1024;
const cleanups = cleanupAfterEach();

function connect(url: string) {
  return connectClient(cleanups, 'gpu-usage', url, gpuUsageClient);
}

function fixture(onConnection: FixtureOptions['onConnection']): Promise<FixtureServer> {
  return serveFixture(cleanups, onConnection);
}

describe('gpu-usage client', () => {
  it('reads our agent: host info from system_info and GPU 0 from usage_update', async () => {
    const agent: TestAgent = await startTestAgent(['--gpu-usage-interval', '1'], { fakeGpus: true });
    cleanups.push(() => agent.close());
    const { sink } = connect(agent.url('gpu-usage'));
    await sink.until(() => sink.samples.length >= 2, 4000, 'two samples');
    const [host] = [...sink.hosts.values()];
    expect(host?.gpus?.map((gpu) => gpu.name)).toEqual(['NVIDIA RTX A6000', 'NVIDIA RTX A6000']);
    expect(host?.cpu?.cores).toBeGreaterThan(0);
    const { sample } = sink.samples[0]!;
    expect(sample.cpu?.totalPercent).toBeGreaterThanOrEqual(0);
    expect(sample.memory?.totalBytes).toBe(Math.floor((host?.memoryTotalBytes ?? 0) / MIB) * MIB);
    expect(sample.gpus?.[0]?.utilizationPercent).toBeGreaterThanOrEqual(0);
    expect(Math.abs(sample.timeMs - Date.now())).toBeLessThan(5000);
  });

  it('reads the reference server session and sends subscribe:usage as its first frame', async () => {
    const server = await fixture(replaySession(path.join(import.meta.dirname, 'fixtures/reference-server.jsonl'), 20));
    const { sink } = connect(server.url('/usage'));
    await sink.until(() => sink.samples.length === 1, 3000, 'the recorded usage_update');
    expect(server.received[0]).toBe('subscribe:usage');
    expect([...sink.hosts.values()][0]).toMatchObject({ hostname: 'vm', memoryTotalBytes: 24105 * MIB });
    expect(sink.samples[0]!.sample).toMatchObject({ timeMs: 1_795_321_507_000, memory: { usedPercent: 1.7 } });
  });

  it('works with a reference-style server that closes on any other first message', async () => {
    const server = await fixture((socket) => {
      socket.once('message', (data) => {
        if (data.toString() !== 'subscribe:usage') return socket.close();
        socket.send('{"status": "subscribed"}');
        socket.send('{"type": "usage_update", "cpu_percent": 3.5, "ram_percent": 20.0, "ram_used_mb": 100, "ram_total_mb": 500, "timestamp": 1795321507}');
      });
    });
    const { sink, connection } = connect(server.url());
    await sink.until(() => sink.samples.length === 1, 3000, 'a sample');
    expect(connection.state.status).toBe('connected');
  });

  it('reads the newer generation that streams unprompted with `gpu` and message_rates', async () => {
    const server = await fixture((socket) => {
      socket.send(JSON.stringify({ type: 'system_info', cpu_count: 8, cpu_model: 'Xeon', ram_total_mb: 32000, gpu_count: 1, gpus: [{ index: 0, name: 'Tesla T4', memory_mb: 15360 }], hostname: 'lab-3', timestamp: 1795321500 }));
      socket.send(JSON.stringify({ type: 'usage_update', cpu_percent: 50.5, ram_percent: 25, ram_used_mb: 8000, ram_total_mb: 32000, gpu: 77, message_rates: { in: 3 }, timestamp: 1795321501 }));
    });
    const { sink } = connect(server.url());
    await sink.until(() => sink.samples.length === 1, 3000, 'a sample');
    expect([...sink.hosts.values()][0]).toMatchObject({ hostname: 'lab-3', gpus: [{ name: 'Tesla T4', memoryTotalBytes: 15360 * MIB }] });
    expect(sink.samples[0]!.sample.gpus).toEqual([{ index: 0, utilizationPercent: 77, memoryUsedBytes: undefined, memoryTotalBytes: undefined }]);
  });

  it('never throws on hostile frames and keeps reading the good ones after them', async () => {
    const server = await fixture((socket) => {
      for (const junk of ['{', '[]', 'null', '{"type":"usage_update","cpu_percent":{}}', '{"type":"system_info","gpus":[{"index":"x"}]}', '"'.repeat(10_000)]) socket.send(junk);
      socket.send(Buffer.from([0xff, 0x00, 0x13]));
      socket.send('{"type":"usage_update","cpu_percent":1e400,"timestamp":1}');
      socket.send('{"type":"usage_update","cpu_percent":9.5,"ram_percent":1,"timestamp":1795321507}');
    });
    const { sink, connection } = connect(server.url());
    await sink.until(() => sink.samples.length === 1, 3000, 'the one good sample');
    expect(sink.samples[0]!.sample.cpu?.totalPercent).toBe(9.5);
    expect(connection.state.status).toBe('connected');
  });
});
