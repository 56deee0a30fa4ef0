import { describe, expect, it } from 'vitest';
import type { GpuSample } from '../../proto/model';
import type { FastMetrics } from './fast-metrics';
import { DEFAULT_TIMINGS, SystemSampler, type SamplerCollectors } from './sampler';

const FAST: FastMetrics = {
  cpu: { totalPercent: 12.5, perCorePercent: [10, 15], load: [0.5, 0.4, 0.3] },
  memory: { usedPercent: 50, totalBytes: 8e9, usedBytes: 4e9, swapTotalBytes: 0, swapUsedBytes: 0 },
  network: { interfaces: [], rxTotalBytes: 0, txTotalBytes: 0, rxBytesPerSec: 0, txBytesPerSec: 0 },
  uptimeSec: 1000,
};
const GPUS: GpuSample[] = [{ index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryTotalBytes: 49_140 * 1024 * 1024 }];

type CollectorName = Exclude<keyof SamplerCollectors, 'processDetails' | 'journal'>;

/** Collectors that answer at once with fixed values and count how often each one ran. */
function countingCollectors(gpuAvailable = true) {
  const calls: Record<CollectorName, number> = { fast: 0, cpuTempC: 0, gpus: 0, disks: 0, processes: 0, hostInfo: 0 };
  const collectors: SamplerCollectors = {
    fast: async () => (calls.fast++, FAST),
    cpuTempC: async () => (calls.cpuTempC++, 45),
    gpus: async () => (calls.gpus++, gpuAvailable ? { gpus: GPUS, available: true } : { gpus: [], available: false }),
    disks: async () => (calls.disks++, []),
    processes: async () => (calls.processes++, []),
    hostInfo: async () => (calls.hostInfo++, { id: 'box', hostname: 'box' }),
    processDetails: () => Promise.reject(new Error('not used')),
    journal: () => Promise.reject(new Error('not used')),
  };
  return { calls, collectors };
}

/** A sampler on a clock the test moves by hand. */
function samplerAt(startMs = 1_000_000, gpuAvailable = true) {
  const clock = { nowMs: startMs };
  const { calls, collectors } = countingCollectors(gpuAvailable);
  const sampler = new SystemSampler(collectors, DEFAULT_TIMINGS, () => clock.nowMs);
  return { sampler, calls, clock };
}

describe('SystemSampler', () => {
  it('collects fast metrics once per TTL however many callers ask in that window', async () => {
    const { sampler, calls, clock } = samplerAt();
    await Promise.all(Array.from({ length: 200 }, () => sampler.snapshot()));
    expect(calls.fast).toBe(1);
    for (let elapsed = 50; elapsed < DEFAULT_TIMINGS.fastTtlMs; elapsed += 50) {
      clock.nowMs += 50;
      await Promise.all([sampler.snapshot(), sampler.snapshot({ gpus: true }), sampler.snapshot({ disks: true, processes: true })]);
    }
    expect(calls.fast).toBe(1);
    clock.nowMs += 50;
    const { sample } = await sampler.snapshot();
    expect(calls.fast).toBe(2);
    expect(sample).toMatchObject({ timeMs: clock.nowMs, cpu: { totalPercent: 12.5, tempC: 45 }, uptimeSec: 1000 });
  });

  it('caches GPUs for 1.5 s and collects them only while some caller wants them', async () => {
    const { sampler, calls, clock } = samplerAt();
    const first = await sampler.snapshot({ gpus: true });
    expect(first.sample.gpus).toEqual(GPUS);
    expect(calls.gpus).toBe(1);
    clock.nowMs += 1499;
    await Promise.all(Array.from({ length: 100 }, () => sampler.snapshot({ gpus: true })));
    expect(calls.gpus).toBe(1);
    clock.nowMs += 1;
    await sampler.snapshot({ gpus: true });
    expect(calls.gpus).toBe(2);

    // The GPU consumer leaves; everyone else keeps polling for a minute.
    for (let second = 0; second < 60; second++) {
      clock.nowMs += 1000;
      const { sample } = await sampler.snapshot({ disks: true, processes: true });
      expect(sample.gpus).toBeUndefined();
    }
    expect(calls.gpus).toBe(2);
  });

  it('reads host info without running nvidia-smi, and names the GPUs in it once some caller has wanted them', async () => {
    const { sampler, calls, clock } = samplerAt();
    expect(await sampler.hostInfo()).toEqual({ id: 'box', hostname: 'box' });
    for (let second = 0; second < 10; second++) {
      clock.nowMs += 1000;
      await Promise.all([sampler.hostInfo(), sampler.snapshot(), sampler.snapshot({ disks: true, processes: true })]);
    }
    expect(calls).toMatchObject({ gpus: 0, hostInfo: 1 });

    const { host } = await sampler.snapshot({ gpus: true });
    const named = [{ index: 0, name: 'NVIDIA RTX A6000', vendor: 'NVIDIA', memoryTotalBytes: 49_140 * 1024 * 1024 }];
    expect(host.gpus).toEqual(named);
    clock.nowMs += 60_000;
    expect((await sampler.hostInfo()).gpus).toEqual(named);
    expect((await sampler.snapshot()).host.gpus).toEqual(named);
    expect(calls).toMatchObject({ gpus: 1, hostInfo: 1 });
  });

  it('keeps the GPUs it named when a later nvidia-smi run fails', async () => {
    const { collectors } = countingCollectors();
    let failing = false;
    const flaky: SamplerCollectors = { ...collectors, gpus: () => (failing ? Promise.reject(new Error('nvidia-smi failed')) : collectors.gpus()) };
    const clock = { nowMs: 0 };
    const sampler = new SystemSampler(flaky, DEFAULT_TIMINGS, () => clock.nowMs);
    await sampler.snapshot({ gpus: true });
    failing = true;
    clock.nowMs += DEFAULT_TIMINGS.gpuTtlMs;
    const { host, sample } = await sampler.snapshot({ gpus: true });
    expect(sample.gpus).toEqual([]);
    expect(host.gpus?.map((gpu) => gpu.name)).toEqual(['NVIDIA RTX A6000']);
  });

  it('asks again for an nvidia-smi found missing only after a minute, however often GPUs are wanted', async () => {
    const { sampler, calls, clock } = samplerAt(1_000_000, false);
    expect((await sampler.snapshot({ gpus: true })).sample.gpus).toEqual([]);
    for (let elapsed = 0; elapsed < DEFAULT_TIMINGS.gpuAbsentRetryMs - 1000; elapsed += 1000) {
      clock.nowMs += 1000;
      await sampler.snapshot({ gpus: true });
    }
    expect(calls.gpus).toBe(1);
    clock.nowMs += 1000;
    await sampler.snapshot({ gpus: true });
    expect(calls.gpus).toBe(2);
  });

  it('collects disks and processes only for a caller that asks, each within its own TTL', async () => {
    const { sampler, calls, clock } = samplerAt();
    for (let second = 0; second < 30; second++) {
      clock.nowMs += 1000;
      const { sample } = await sampler.snapshot({ gpus: true });
      expect(sample.disks).toBeUndefined();
      expect(sample.processes).toBeUndefined();
    }
    expect(calls).toMatchObject({ disks: 0, processes: 0 });

    expect((await sampler.snapshot({ disks: true })).sample.disks).toEqual([]);
    expect(calls).toMatchObject({ disks: 1, processes: 0 });
    const { sample } = await sampler.snapshot({ processes: true });
    expect(sample).toMatchObject({ processes: [], processCount: 0 });
    expect(calls).toMatchObject({ disks: 1, processes: 1 });

    clock.nowMs += DEFAULT_TIMINGS.processesTtlMs;
    await sampler.snapshot({ disks: true, processes: true });
    expect(calls).toMatchObject({ disks: 1, processes: 2 });
    clock.nowMs += DEFAULT_TIMINGS.disksTtlMs - DEFAULT_TIMINGS.processesTtlMs;
    await sampler.snapshot({ disks: true });
    expect(calls).toMatchObject({ disks: 2, processes: 2 });
  });

  it('keeps the rest of the snapshot when a heavy collector fails, and reports the failure', async () => {
    const { collectors } = countingCollectors();
    const failures: string[] = [];
    const broken: SamplerCollectors = { ...collectors, disks: () => Promise.reject(new Error('statfs failed')) };
    const sampler = new SystemSampler(broken, DEFAULT_TIMINGS, Date.now, (what, error) => failures.push(`${what}: ${error.message}`));
    const { sample } = await sampler.snapshot({ disks: true, gpus: true });
    expect(sample.disks).toBeUndefined();
    expect(sample.gpus).toEqual(GPUS);
    expect(sample.cpu?.totalPercent).toBe(12.5);
    expect(failures).toEqual(['disks: statfs failed']);
  });
});
