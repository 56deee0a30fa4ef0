import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_GPU_DIR } from '../../test-support/test-agent';
import { parseNvidiaSmiCsv, queryNvidiaSmi } from './gpus';

const MIB = 1024 * 1024;
const PATH_WITH_FAKE = `${FAKE_GPU_DIR}${path.delimiter}${process.env.PATH}`;

/** The recorded blocks as the fake prints them: comment lines dropped, one block per second. */
function recordedBlocks(): string[] {
  const recorded = readFileSync(path.join(FAKE_GPU_DIR, 'recorded-query.csv'), 'utf8');
  return recorded
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trim()
    .split(/\n\s*\n/);
}

describe('nvidia-smi CSV parser', () => {
  it('reads the recorded two-GPU workstation output, MiB as bytes and watts with decimals', () => {
    const blocks = recordedBlocks();
    expect(blocks).toHaveLength(4);
    expect(parseNvidiaSmiCsv(blocks[0]!)).toEqual([
      { index: 0, name: 'NVIDIA RTX A6000', utilizationPercent: 87, memoryUsedBytes: 31_245 * MIB, memoryTotalBytes: 49_140 * MIB, tempC: 71, powerWatts: 243.51 },
      { index: 1, name: 'NVIDIA RTX A6000', utilizationPercent: 12, memoryUsedBytes: 2210 * MIB, memoryTotalBytes: 49_140 * MIB, tempC: 44, powerWatts: 38.02 },
    ]);
    for (const block of blocks) expect(parseNvidiaSmiCsv(block)).toHaveLength(2);
  });

  it('leaves out fields nvidia-smi reports as [N/A] or [Not Supported] instead of reading them as zero', () => {
    const laptop = '0, NVIDIA GeForce RTX 3050 Laptop GPU, [N/A], 5, 4096, 40, [N/A]\n1, Tesla K80, [Not Supported], [N/A], 11441, [N/A], 25.50\n';
    expect(parseNvidiaSmiCsv(laptop)).toEqual([
      { index: 0, name: 'NVIDIA GeForce RTX 3050 Laptop GPU', memoryUsedBytes: 5 * MIB, memoryTotalBytes: 4096 * MIB, tempC: 40 },
      { index: 1, name: 'Tesla K80', memoryTotalBytes: 11_441 * MIB, powerWatts: 25.5 },
    ]);
  });

  it('skips blank, short and index-less lines and tolerates Windows line endings', () => {
    const stdout = '\r\nNo devices were found\r\n, ghost, 1, 2, 3, 4, 5\r\n0, NVIDIA T4, 3, 100, 15360, 35, 27.1\r\n\r\n';
    expect(parseNvidiaSmiCsv(stdout)).toEqual([{ index: 0, name: 'NVIDIA T4', utilizationPercent: 3, memoryUsedBytes: 100 * MIB, memoryTotalBytes: 15_360 * MIB, tempC: 35, powerWatts: 27.1 }]);
  });
});

describe('nvidia-smi collector', () => {
  it('runs the nvidia-smi it finds on PATH, here the recorded two-GPU fake', async () => {
    const reading = await queryNvidiaSmi('nvidia-smi', { env: { ...process.env, PATH: PATH_WITH_FAKE } });
    expect(reading.available).toBe(true);
    expect(recordedBlocks().map(parseNvidiaSmiCsv)).toContainEqual(reading.gpus);
  });

  it('reports no GPUs, not an error, where nvidia-smi is not installed', async () => {
    const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-empty-'));
    expect(await queryNvidiaSmi('nvidia-smi', { env: { PATH: emptyDir } })).toEqual({ gpus: [], available: false });
  });

  it('rejects when nvidia-smi fails, and when it hangs past its timeout', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-nvidia-smi-'));
    const failing = path.join(dir, 'failing');
    writeFileSync(failing, '#!/bin/sh\necho "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver." >&2\nexit 9\n');
    const hanging = path.join(dir, 'hanging');
    writeFileSync(hanging, '#!/bin/sh\nexec sleep 5\n');
    for (const script of [failing, hanging]) chmodSync(script, 0o755);
    await expect(queryNvidiaSmi(failing)).rejects.toThrow(/^nvidia-smi failed: Command failed/);
    await expect(queryNvidiaSmi(hanging, { timeoutMs: 200 })).rejects.toThrow(/^nvidia-smi failed/);
  });
});
