// Glances' per-device plugins (network, sensors, gpu) into the model's units. Pure; each decoder returns
// undefined only when the answer is not a list at all, and drops the entries it cannot read.

import { z } from 'zod';
import type { GpuSample, NetworkInterfaceSample, NetworkSample } from '../model';
import { optionalBytes, optionalIntervalSec, optionalPercent, optionalText } from './fields';
import { defined } from './decode-readings';

const listSchema = z.array(z.unknown()).max(4096);

function entries<T>(json: unknown, schema: z.ZodType<T>): T[] | undefined {
  const list = listSchema.safeParse(json);
  if (!list.success) return undefined;
  return list.data.flatMap((entry) => {
    const parsed = schema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

// v3 sends the bytes moved since its last refresh (rx, tx) and the time that took; v4 renamed them and added
// the rate itself (bytes_recv_rate_per_sec), which older v4 releases lack.
const interfaceSchema = z.object({
  interface_name: z.string().min(1).max(256),
  is_up: z.boolean().optional().catch(undefined),
  time_since_update: optionalIntervalSec,
  rx: optionalBytes,
  tx: optionalBytes,
  cumulative_rx: optionalBytes,
  cumulative_tx: optionalBytes,
  bytes_recv: optionalBytes,
  bytes_sent: optionalBytes,
  bytes_recv_gauge: optionalBytes,
  bytes_sent_gauge: optionalBytes,
  bytes_recv_rate_per_sec: optionalBytes,
  bytes_sent_rate_per_sec: optionalBytes,
});

type InterfaceAnswer = z.infer<typeof interfaceSchema>;

function rate(perSecond: number | undefined, moved: number | undefined, intervalSec: number | undefined): number | undefined {
  if (perSecond !== undefined) return Math.round(perSecond);
  return moved !== undefined && intervalSec !== undefined ? Math.round(moved / intervalSec) : undefined;
}

function interfaceSample(answer: InterfaceAnswer): NetworkInterfaceSample {
  const interval = answer.time_since_update;
  return defined({
    name: answer.interface_name,
    rxBytes: answer.bytes_recv_gauge ?? answer.cumulative_rx,
    txBytes: answer.bytes_sent_gauge ?? answer.cumulative_tx,
    rxBytesPerSec: rate(answer.bytes_recv_rate_per_sec, answer.bytes_recv ?? answer.rx, interval),
    txBytesPerSec: rate(answer.bytes_sent_rate_per_sec, answer.bytes_sent ?? answer.tx, interval),
  });
}

function sum(values: (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length > 0 ? known.reduce((total, value) => total + value, 0) : undefined;
}

/**
 * Interfaces and their totals. Loopback is left out: it is the machine talking to itself (Glances' own API
 * traffic among it). So are interfaces Glances reports down, which its own UI hides too.
 */
export function decodeNetwork(json: unknown): NetworkSample | undefined {
  const answers = entries(json, interfaceSchema);
  if (!answers) return undefined;
  const interfaces = answers.filter((answer) => answer.interface_name !== 'lo' && answer.is_up !== false).map(interfaceSample);
  return defined({
    interfaces,
    rxBytesPerSec: sum(interfaces.map((sample) => sample.rxBytesPerSec)),
    txBytesPerSec: sum(interfaces.map((sample) => sample.txBytesPerSec)),
    rxTotalBytes: sum(interfaces.map((sample) => sample.rxBytes)),
    txTotalBytes: sum(interfaces.map((sample) => sample.txBytes)),
  });
}

const sensorSchema = z.object({
  label: z.string().max(256),
  type: optionalText(64),
  unit: optionalText(8),
  value: z.number(),
});

/** Whole-package readings (Intel's "Package id 0", AMD's Tctl/Tdie, a board's "CPU"), preferred over single cores. */
const PACKAGE_LABEL = /package id|tctl|tdie|\bcpu/i;
const CORE_LABEL = /^core \d+/i;
/** Glances' type for CPU temperatures; 4.0.4 alone sent its enum's name instead (Glances issue #2788). */
const CPU_SENSOR_TYPE = /^(temperature_core|SensorType\.CPU_TEMP)$/i;
const MIN_TEMP_C = -40;
const MAX_TEMP_C = 150;

function celsius(value: number, unit: string | undefined): number {
  return unit === 'F' ? ((value - 32) * 5) / 9 : value;
}

/** The CPU's temperature: the hottest package reading, else the hottest core. Disks and batteries are left out. */
export function decodeCpuTemperature(json: unknown): { tempC?: number } | undefined {
  const sensors = entries(json, sensorSchema);
  if (!sensors) return undefined;
  const readings = sensors
    .filter((sensor) => sensor.type === undefined || CPU_SENSOR_TYPE.test(sensor.type))
    .map((sensor) => ({ label: sensor.label, tempC: celsius(sensor.value, sensor.unit) }))
    .filter((reading) => reading.tempC >= MIN_TEMP_C && reading.tempC <= MAX_TEMP_C);
  for (const label of [PACKAGE_LABEL, CORE_LABEL]) {
    const matching = readings.filter((reading) => label.test(reading.label));
    if (matching.length > 0) return { tempC: Math.max(...matching.map((reading) => reading.tempC)) };
  }
  return {};
}

const gpuSchema = z.object({
  name: optionalText(256),
  proc: optionalPercent,
  temperature: z.number().min(MIN_TEMP_C).max(MAX_TEMP_C).optional().catch(undefined),
});

/**
 * GPUs in Glances' order, which is also their index: v3 numbers them 0, 1, ... but v4 names them per vendor
 * ("nvidia0", "amd0"), so its ids may repeat a number. `mem` is a percentage the model has no field for.
 */
export function decodeGpus(json: unknown): GpuSample[] | undefined {
  const gpus = entries(json, gpuSchema);
  if (!gpus) return undefined;
  return gpus.map((gpu, index) => defined<GpuSample>({ index, name: gpu.name, utilizationPercent: gpu.proc, tempC: gpu.temperature }));
}
