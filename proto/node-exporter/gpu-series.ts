// GPUs from the NVIDIA exporters that often share a scrape with node_exporter: DCGM exporter's DCGM_FI_DEV_*
// gauges (memory in MiB, labelled `gpu` and `modelName`), which our own agent serves too, and
// nvidia_gpu_exporter's nvidia_smi_* gauges (utilization as a 0–1 ratio, memory in bytes, labelled `uuid`,
// named by nvidia_smi_gpu_info). When both are present DCGM's are read: they are the richer.

import type { GpuInfo, GpuSample } from '../model';
import { MIB } from '../units';
import type { Exposition, ExpositionSeries } from './exposition';
import { byteCount, celsius, labelIndex, labelText, percent, seriesOf, within, withoutAbsent } from './series-values';

export const GPU_METRIC_NAMES = [
  'DCGM_FI_DEV_GPU_UTIL',
  'DCGM_FI_DEV_FB_USED',
  'DCGM_FI_DEV_FB_FREE',
  'DCGM_FI_DEV_GPU_TEMP',
  'DCGM_FI_DEV_POWER_USAGE',
  'nvidia_smi_gpu_info',
  'nvidia_smi_utilization_gpu_ratio',
  'nvidia_smi_memory_used_bytes',
  'nvidia_smi_memory_total_bytes',
  'nvidia_smi_temperature_gpu',
  'nvidia_smi_power_draw_watts',
] as const;

/** More GPUs than any one machine holds: the rest of a flood of distinct labels is ignored. */
const MAX_GPUS = 64;
const MAX_WATTS = 10_000;

export interface GpuReading {
  info: GpuInfo;
  sample: GpuSample;
}

/** A GPU's figures before its index is known (nvidia_smi series are keyed by uuid). */
type GpuFigures = Omit<GpuSample, 'index'>;

/** The GPUs of one scrape, by index; empty when it carries no GPU series. */
export function readGpus(exposition: Exposition): GpuReading[] {
  const gpus = dcgmGpus(exposition);
  const found = gpus.size > 0 ? gpus : nvidiaSmiGpus(exposition);
  return [...found.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, figures]) => {
      const name = figures.name ?? `GPU ${index}`;
      return {
        info: withoutAbsent({ index, name, vendor: 'NVIDIA', memoryTotalBytes: figures.memoryTotalBytes }),
        sample: withoutAbsent({ index, ...figures, name }),
      };
    });
}

function dcgmGpus(exposition: Exposition): Map<number, GpuFigures> {
  const gpus = new Map<number, GpuFigures>();
  const usedMib = new Map<number, number>();
  const freeMib = new Map<number, number>();
  const read = (metric: string, take: (figures: GpuFigures, value: number, index: number) => void): void => {
    for (const series of seriesOf(exposition, metric)) {
      const index = labelIndex(series, 'gpu');
      const figures = index === undefined ? undefined : figuresOf(gpus, index);
      if (index === undefined || !figures) continue;
      figures.name ??= labelText(series, 'modelName');
      take(figures, series.value, index);
    }
  };
  read('DCGM_FI_DEV_GPU_UTIL', (figures, value) => (figures.utilizationPercent ??= percent(value)));
  read('DCGM_FI_DEV_FB_USED', (_, value, index) => firstOf(usedMib, index, byteCount(value)));
  read('DCGM_FI_DEV_FB_FREE', (_, value, index) => firstOf(freeMib, index, byteCount(value)));
  read('DCGM_FI_DEV_GPU_TEMP', (figures, value) => (figures.tempC ??= celsius(value)));
  read('DCGM_FI_DEV_POWER_USAGE', (figures, value) => (figures.powerWatts ??= within(value, 0, MAX_WATTS)));
  for (const [index, figures] of gpus) {
    const used = usedMib.get(index);
    const free = freeMib.get(index);
    figures.memoryUsedBytes = byteCount(used === undefined ? undefined : used * MIB);
    figures.memoryTotalBytes = byteCount(used === undefined || free === undefined ? undefined : (used + free) * MIB);
  }
  return gpus;
}

function nvidiaSmiGpus(exposition: Exposition): Map<number, GpuFigures> {
  const byUuid = new Map<string, GpuFigures>();
  const indexes = new Map<string, number>();
  for (const series of seriesOf(exposition, 'nvidia_smi_gpu_info')) {
    const uuid = labelText(series, 'uuid');
    const figures = uuid === undefined ? undefined : figuresOf(byUuid, uuid);
    if (uuid === undefined || !figures) continue;
    figures.name ??= labelText(series, 'name');
    const index = labelIndex(series, 'index');
    if (index !== undefined && !indexes.has(uuid)) indexes.set(uuid, index);
  }
  const read = (metric: string, take: (figures: GpuFigures, value: number) => void): void => {
    for (const series of seriesOf(exposition, metric)) {
      const figures = uuidFigures(byUuid, series);
      if (figures) take(figures, series.value);
    }
  };
  read('nvidia_smi_utilization_gpu_ratio', (figures, value) => (figures.utilizationPercent ??= percent(value * 100)));
  read('nvidia_smi_memory_used_bytes', (figures, value) => (figures.memoryUsedBytes ??= byteCount(value)));
  read('nvidia_smi_memory_total_bytes', (figures, value) => (figures.memoryTotalBytes ??= byteCount(value)));
  read('nvidia_smi_temperature_gpu', (figures, value) => (figures.tempC ??= celsius(value)));
  read('nvidia_smi_power_draw_watts', (figures, value) => (figures.powerWatts ??= within(value, 0, MAX_WATTS)));

  const gpus = new Map<number, GpuFigures>();
  // A GPU whose info series gives no index comes after those that do, in the order it was first seen.
  let nextIndex = Math.max(-1, ...indexes.values()) + 1;
  for (const [uuid, figures] of byUuid) {
    let index = indexes.get(uuid);
    if (index === undefined || gpus.has(index)) index = nextIndex++;
    gpus.set(index, figures);
  }
  return gpus;
}

function uuidFigures(byUuid: Map<string, GpuFigures>, series: ExpositionSeries): GpuFigures | undefined {
  const uuid = labelText(series, 'uuid');
  return uuid === undefined ? undefined : figuresOf(byUuid, uuid);
}

function figuresOf<K>(gpus: Map<K, GpuFigures>, key: K): GpuFigures | undefined {
  const known = gpus.get(key);
  if (known || gpus.size >= MAX_GPUS) return known;
  const created: GpuFigures = {};
  gpus.set(key, created);
  return created;
}

function firstOf(values: Map<number, number>, index: number, value: number | undefined): void {
  if (value !== undefined && !values.has(index)) values.set(index, value);
}
