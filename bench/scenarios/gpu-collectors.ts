// Which GPU collector costs less: systeminformation's graphics() or one `nvidia-smi --query-gpu` call.
// Each is measured in a fresh process with the recorded-output nvidia-smi (these machines have no GPU)
// first on PATH: CPU per call in the collecting process, and the longest event-loop stall while calling.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { FAKE_GPU_DIR, REPO_ROOT } from '../../test-support/test-agent';
import type { Figure } from '../lib/figures';

function measureIn(which: 'direct' | 'systeminformation'): { cpuMsPerCall: number; worstStallMs: number } {
  const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench/lib/measure-gpu-collector.ts'), which], {
    cwd: REPO_ROOT,
    env: { ...process.env, PATH: `${FAKE_GPU_DIR}${path.delimiter}${process.env.PATH}` },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1)!) as { cpuMsPerCall: number; worstStallMs: number };
}

export async function gpuCollectors(): Promise<Figure[]> {
  const direct = measureIn('direct');
  const library = measureIn('systeminformation');
  return [
    { id: 'gpu-direct-cpu', label: 'GPUs via one async nvidia-smi query: CPU per call in the agent', value: direct.cpuMsPerCall, unit: 'ms' },
    { id: 'gpu-direct-stall', label: 'GPUs via one async nvidia-smi query: longest event-loop stall', value: direct.worstStallMs, unit: 'ms' },
    { id: 'gpu-si-cpu', label: "GPUs via systeminformation's graphics(): CPU per call in the agent", value: library.cpuMsPerCall, unit: 'ms' },
    { id: 'gpu-si-stall', label: "GPUs via systeminformation's graphics(): longest event-loop stall (it runs nvidia-smi synchronously)", value: library.worstStallMs, unit: 'ms' },
  ];
}
