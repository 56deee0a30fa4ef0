// NVIDIA GPUs from Netdata's nvidia_smi charts, of either collector. python.d (the one Netdata 1.37 ships)
// makes `nvidia_smi.gpu0_gpu_utilization`, `gpu0_mem_usage` (MiB), `gpu0_temperature` and `gpu0_power`, with
// the product name in the family ("gpu0 NVIDIA GeForce GTX 960"); go.d (later releases) makes
// `nvidia_smi.gpu_<uuid>_gpu_utilization`, `_frame_buffer_memory_usage` (B), `_temperature` and `_power_draw`,
// with no name in this API. Charts are told apart by context, which both share for utilization.

import type { GpuSample } from '../model';
import { bytesPerUnit, isCelsius, isPercent, isWatts } from './chart-units';
import type { NetdataChart } from './charts';

const MAX_GPUS = 64;
const CHART = /^nvidia_smi[^.]*\.(.+)_(gpu_utilization|mem_usage|frame_buffer_memory_usage|temperature|power_draw|power)$/;
const PYTHON_GPU = /^gpu(\d+)$/;
const PYTHON_FAMILY = /^gpu\d+\s+(.+)$/;
const MAX_MEMORY_BYTES = 2 ** 44;
const MAX_WATTS = 5000;

type Reading = 'utilization' | 'memory' | 'temperature' | 'power';

const CONTEXTS: Record<string, Reading> = {
  'nvidia_smi.gpu_utilization': 'utilization',
  'nvidia_smi.memory_allocated': 'memory',
  'nvidia_smi.gpu_frame_buffer_memory_usage': 'memory',
  'nvidia_smi.temperature': 'temperature',
  'nvidia_smi.gpu_temperature': 'temperature',
  'nvidia_smi.power': 'power',
  'nvidia_smi.gpu_power_draw': 'power',
};

export function gpuSamples(charts: ReadonlyMap<string, NetdataChart>): GpuSample[] {
  const gpus = new Map<string, GpuSample>();
  for (const [id, chart] of charts) {
    const key = CHART.exec(id)?.[1];
    const reading = CONTEXTS[chart.context ?? ''];
    if (key === undefined || reading === undefined) continue;
    let gpu = gpus.get(key);
    if (!gpu) {
      if (gpus.size >= MAX_GPUS) continue;
      gpu = { index: Number(PYTHON_GPU.exec(key)?.[1] ?? gpus.size) };
      gpus.set(key, gpu);
    }
    const name = PYTHON_FAMILY.exec(chart.family ?? '')?.[1];
    if (name) gpu.name = name;
    read(gpu, reading, chart);
  }
  return [...gpus.values()].filter(hasReading).sort((a, b) => a.index - b.index);
}

function hasReading(gpu: GpuSample): boolean {
  return gpu.utilizationPercent !== undefined || gpu.memoryUsedBytes !== undefined || gpu.tempC !== undefined || gpu.powerWatts !== undefined;
}

function read(gpu: GpuSample, reading: Reading, chart: NetdataChart): void {
  const only = chart.values.values().next().value;
  switch (reading) {
    case 'utilization':
      if (isPercent(chart.units) && only !== undefined && only >= 0 && only <= 100) gpu.utilizationPercent = only;
      return;
    case 'temperature':
      if (isCelsius(chart.units) && only !== undefined && only > -40 && only < 200) gpu.tempC = only;
      return;
    case 'power':
      if (isWatts(chart.units) && only !== undefined && only >= 0 && only <= MAX_WATTS) gpu.powerWatts = only;
      return;
    case 'memory': {
      const factor = bytesPerUnit(chart.units);
      const used = chart.valuesByName.get('used');
      const free = chart.valuesByName.get('free');
      if (factor === undefined || used === undefined || free === undefined || used < 0 || free < 0) return;
      const totalBytes = Math.round((used + free + Math.max(0, chart.valuesByName.get('reserved') ?? 0)) * factor);
      if (!(totalBytes > 0) || totalBytes > MAX_MEMORY_BYTES) return;
      gpu.memoryUsedBytes = Math.round(used * factor);
      gpu.memoryTotalBytes = totalBytes;
    }
  }
}
