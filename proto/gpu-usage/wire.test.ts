import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverFrames } from '../../test-support/recorded-session';
import type { HostInfo, Sample } from '../model';
import { decodeGpuUsage } from './decode';
import { encodeSystemInfo, encodeUsageUpdate } from './wire';

const MIB = 1024 * 1024;
const reference = serverFrames(path.join(import.meta.dirname, 'fixtures/reference-server.jsonl'));

const host: HostInfo = {
  id: 'gpu-box',
  hostname: 'gpu-box',
  cpu: { model: 'AMD Ryzen 9 7950X', cores: 32 },
  memoryTotalBytes: 64 * 1024 * MIB,
  gpus: [{ index: 0, name: 'NVIDIA RTX A6000', memoryTotalBytes: 49140 * MIB }],
};

const sample: Sample = {
  timeMs: 1_795_321_507_000,
  cpu: { totalPercent: 12.34 },
  memory: { usedPercent: 41.26, totalBytes: 64 * 1024 * MIB, usedBytes: 27_040 * MIB },
  gpus: [{ index: 0, utilizationPercent: 87.4, memoryUsedBytes: 31_245 * MIB, memoryTotalBytes: 49_140 * MIB }],
};

describe('gpu-usage codec', () => {
  it('decodes the reference server session: subscribed, system_info, usage_update with Python separators', () => {
    const decoded = reference.map((frame) => decodeGpuUsage(frame, 0));
    expect(decoded.map((message) => message?.kind)).toEqual(['subscribed', 'system_info', 'usage_update']);
    const info = decoded[1];
    expect(info).toMatchObject({ kind: 'system_info', host: { hostname: 'vm', cpu: { cores: 2, model: 'Unknown' }, memoryTotalBytes: 24105 * MIB, gpus: [] } });
    const update = decoded[2];
    expect(update).toMatchObject({ kind: 'usage_update', sample: { timeMs: 1_795_321_507_000, cpu: { totalPercent: 0 }, memory: { usedPercent: 1.7, usedBytes: 105 * MIB } } });
    expect(update?.kind === 'usage_update' && update.sample.gpus).toBeFalsy();
  });

  it('encodes usage_update with one-decimal percentages, whole MiB, integer GPU percent and epoch seconds', () => {
    expect(encodeUsageUpdate(sample)).toEqual({
      type: 'usage_update',
      cpu_percent: 12.3,
      ram_percent: 41.3,
      ram_used_mb: 27_040,
      ram_total_mb: 65_536,
      gpu_percent: 87,
      gpu_mem_used_mb: 31_245,
      gpu_mem_total_mb: 49_140,
      timestamp: 1_795_321_507,
    });
  });

  it('omits every GPU key when the machine has no GPU', () => {
    const encoded = encodeUsageUpdate({ ...sample, gpus: [] });
    expect(Object.keys(encoded).filter((key) => key.startsWith('gpu'))).toEqual([]);
  });

  it('round-trips a snapshot through encode and decode', () => {
    const info = decodeGpuUsage(JSON.stringify(encodeSystemInfo(host, sample.timeMs)), 0);
    expect(info).toMatchObject({ kind: 'system_info', host: { hostname: 'gpu-box', cpu: { cores: 32 }, gpus: [{ index: 0, name: 'NVIDIA RTX A6000', memoryTotalBytes: 49140 * MIB }] } });
    const update = decodeGpuUsage(JSON.stringify(encodeUsageUpdate(sample)), 0);
    expect(update).toMatchObject({
      kind: 'usage_update',
      sample: { timeMs: 1_795_321_507_000, cpu: { totalPercent: 12.3 }, memory: { usedPercent: 41.3, usedBytes: 27_040 * MIB }, gpus: [{ index: 0, utilizationPercent: 87, memoryUsedBytes: 31_245 * MIB }] },
    });
  });

  it('reads `gpu` as an alias of gpu_percent, as one newer-generation client does', () => {
    const decoded = decodeGpuUsage('{"type":"usage_update","cpu_percent":5,"ram_percent":10,"gpu":42,"timestamp":1}', 0);
    expect(decoded).toMatchObject({ kind: 'usage_update', sample: { gpus: [{ utilizationPercent: 42 }] } });
  });

  it.each(['not json', '', '{"type":"usage_update"}', '{"type":"usage_update","cpu_percent":"high"}', '[]', 'null', '{"type":"system_info","gpus":"none"}'])(
    'returns null for hostile or foreign frame %j',
    (frame) => {
      expect(decodeGpuUsage(frame, 0)).toBeNull();
    },
  );
});
