import dgram from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { spawnAgent, type SpawnedAgent } from '../../../test-support/test-agent';
import { cleanupAfterEach } from '../../../test-support/cleanups';

const cleanups = cleanupAfterEach();

async function freeUdpPort(): Promise<number> {
  const probe = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('discovery during start-up', () => {
  it("names every protocol's port even in an answer to a request sent while the agent is still starting", async () => {
    const port = await freeUdpPort();
    const client = dgram.createSocket('udp4');
    cleanups.push(() => client.close());
    const answers: Record<string, unknown>[] = [];
    client.on('message', (message) => answers.push(JSON.parse(message.toString()) as Record<string, unknown>));
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    const asking = setInterval(() => client.send('DISCOVER_SERVER', port, '127.0.0.1'), 5);
    cleanups.push(() => clearInterval(asking));

    const agent: SpawnedAgent = await spawnAgent(['--servercontrol-discovery-ports', String(port)]);
    cleanups.push(() => agent.stop());
    const started = Date.now();
    while (answers.length === 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 10));
    clearInterval(asking);
    expect(answers[0]).toMatchObject({
      type: 'SERVER_RESPONSE',
      gpu_usage_port: agent.endpoints.find((endpoint) => endpoint.owner === 'gpu-usage')!.port,
      socktop_port: expect.any(Number),
      vstats_port: expect.any(Number),
      sysmedic_port: expect.any(Number),
    });
  });
});
