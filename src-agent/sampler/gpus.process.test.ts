// Against the built agent process (`npm run build` first) with the fake nvidia-smi first on PATH: GPUs are
// read only once a client wants them, never at start and never for host info alone.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnAgent } from '../../test-support/test-agent';
import { connectRecorder, ofType, sleep } from '../../test-support/ws-recorder';
import { cleanupAfterEach } from '../../test-support/cleanups';

const cleanups = cleanupAfterEach();

/** How often the fake nvidia-smi has run, from the file it appends one line to per run. */
function runsOf(callsFile: string): number {
  return existsSync(callsFile) ? readFileSync(callsFile, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('GPU collection in the agent process', () => {
  it('runs nvidia-smi neither at start nor for host info, and names the GPUs once a client wants them', async () => {
    const callsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-nvidia-smi-calls-')), 'calls');
    const agent = await spawnAgent([], { gpus: true, env: { FAKE_NVIDIA_SMI_CALLS_FILE: callsFile } });
    cleanups.push(() => agent.stop('SIGKILL'));

    // Clients that read the hostname, which comes from host info, but want no GPUs.
    const health = (await (await fetch(agent.url('sysmedic', 'health'))).json()) as { hostname: string };
    const hostname = (await (await fetch(new URL('/hostname', agent.url('servercontrol', 'api')))).json()) as { hostname: string };
    expect(health.hostname).toBe(hostname.hostname);
    // Start-up work (the host info warm-up, vStats' first snapshot) has long finished by now.
    await sleep(1500);
    expect(runsOf(callsFile)).toBe(0);

    const client = await connectRecorder(agent.url('gpu-usage'));
    cleanups.push(() => client.close());
    client.send('subscribe:usage');
    const info = (await client.next(ofType('system_info'), 5000)).json as { gpu_count: number; gpus: { name: string }[] };
    expect(info.gpu_count).toBe(2);
    expect(info.gpus.map((gpu) => gpu.name)).toEqual(['NVIDIA RTX A6000', 'NVIDIA RTX A6000']);
    expect(runsOf(callsFile)).toBe(1);
  });

  it("puts this machine's GPUs in the vStats dashboard's metrics once a dashboard watches", async () => {
    const agent = await spawnAgent(['--vstats-interval', '1'], { gpus: true });
    cleanups.push(() => agent.stop('SIGKILL'));
    const dashboard = await connectRecorder(agent.url('vstats', 'dashboards'));
    cleanups.push(() => dashboard.close());
    const withGpus = await dashboard.next((frame) => {
      const message = frame.json as { type?: string; data?: { metrics?: { gpu?: { gpus?: unknown[] } } } } | undefined;
      return message?.type === 'metrics' && (message.data?.metrics?.gpu?.gpus?.length ?? 0) > 0;
    }, 10_000);
    const gpus = (withGpus.json as { data: { metrics: { gpu: { gpus: { name: string }[] } } } }).data.metrics.gpu.gpus;
    expect(gpus.map((gpu) => gpu.name)).toEqual(['NVIDIA RTX A6000', 'NVIDIA RTX A6000']);
  });
});
