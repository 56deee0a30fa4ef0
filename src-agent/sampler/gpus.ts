// NVIDIA GPUs through one asynchronous `nvidia-smi --query-gpu` call. systeminformation's graphics()
// runs nvidia-smi synchronously and blocks the event loop, so it stays off the sampling path. Host info
// lists a reading's GPUs (gpuFacts), so host info alone never runs nvidia-smi.

import { execFile } from 'node:child_process';
import type { GpuInfo, GpuSample } from '../../proto/model';

const QUERY_FIELDS = ['index', 'name', 'utilization.gpu', 'memory.used', 'memory.total', 'temperature.gpu', 'power.draw'] as const;
const MIB = 1024 * 1024;

export interface GpuReading {
  gpus: GpuSample[];
  /** False when nvidia-smi is not installed, which is the normal case on machines without a GPU. */
  available: boolean;
}

export interface NvidiaSmiOptions {
  timeoutMs?: number;
  /** Where `nvidia-smi` is looked up (its PATH); this process's environment unless given. */
  env?: NodeJS.ProcessEnv;
}

export function queryNvidiaSmi(command = 'nvidia-smi', options: NvidiaSmiOptions = {}): Promise<GpuReading> {
  const { timeoutMs = 3000, env = process.env } = options;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      [`--query-gpu=${QUERY_FIELDS.join(',')}`, '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, maxBuffer: 256 * 1024, env, windowsHide: true },
      (error, stdout) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ gpus: [], available: false });
        if (error) return reject(new Error(`nvidia-smi failed: ${error.message.split('\n')[0]}`));
        resolve({ gpus: parseNvidiaSmiCsv(stdout), available: true });
      },
    );
  });
}

/** Parses `--format=csv,noheader,nounits` rows in QUERY_FIELDS order; `[N/A]` and `[Not Supported]` become absent. */
export function parseNvidiaSmiCsv(stdout: string): GpuSample[] {
  const gpus: GpuSample[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length < QUERY_FIELDS.length) continue;
    const [index, name, utilization, memoryUsed, memoryTotal, temp, power] = cells as [string, string, string, string, string, string, string];
    const parsedIndex = numberOrUndefined(index);
    if (parsedIndex === undefined) continue;
    gpus.push(
      withoutUndefined({
        index: parsedIndex,
        name,
        utilizationPercent: numberOrUndefined(utilization),
        memoryUsedBytes: scaled(memoryUsed, MIB),
        memoryTotalBytes: scaled(memoryTotal, MIB),
        tempC: numberOrUndefined(temp),
        powerWatts: numberOrUndefined(power),
      }),
    );
  }
  return gpus;
}

function numberOrUndefined(cell: string): number | undefined {
  if (cell === '' || cell.startsWith('[')) return undefined;
  const value = Number(cell);
  return Number.isFinite(value) ? value : undefined;
}

function scaled(cell: string, factor: number): number | undefined {
  const value = numberOrUndefined(cell);
  return value === undefined ? undefined : Math.round(value * factor);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

/** The static part of a GPU reading, as host info lists it. */
export function gpuFacts(gpus: GpuSample[]): GpuInfo[] {
  return gpus.map((gpu) => ({ index: gpu.index, name: gpu.name ?? `GPU ${gpu.index}`, vendor: 'NVIDIA', memoryTotalBytes: gpu.memoryTotalBytes }));
}
