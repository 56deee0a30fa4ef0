// socktop's process list: protobuf `Processes` from processes.proto in a binary frame, gzip-compressed above
// 768 bytes (older real agents answered with JSON instead). Pure functions; the schema is parsed once from
// the .proto file, never restated here.

import protobuf from 'protobufjs';
import { z } from 'zod';
import type { ProcessSample } from '../model';
import schema from './processes.proto?raw';
import { gunzipBounded, gzipAboveThreshold, isGzip } from './gzip';
import { replyJson } from './wire';

const ProcessesType = protobuf.parse(schema, { keepCase: true }).root.lookupType('socktop.Processes');

/** `Processes` as protobufjs reads it with `longs: Number`. */
interface ProcessesWire {
  /** Processes on the machine. */
  process_count?: number;
  rows?: { pid?: number; name?: string; /** Percent of the whole machine. */ cpu_usage?: number; /** RSS bytes. */ mem_bytes?: number }[];
}

export interface ProcessList {
  processes: ProcessSample[];
  processCount: number;
}

/** The reply frame's bytes: protobuf, compressed when over the threshold. */
export function encodeProcesses(processes: readonly ProcessSample[], processCount = processes.length): Uint8Array {
  const message = ProcessesType.fromObject({
    process_count: wholeNonNegative(processCount),
    rows: processes.map((process) => ({
      pid: wholeNonNegative(process.pid),
      name: process.name,
      cpu_usage: Number.isFinite(process.cpuPercent) ? process.cpuPercent : 0,
      mem_bytes: wholeNonNegative(process.memoryBytes),
    })),
  });
  return gzipAboveThreshold(ProcessesType.encode(message).finish());
}

/** Reads a binary reply (compressed or not); null when it is not a `Processes` message. */
export function decodeProcesses(bytes: Uint8Array): ProcessList | null {
  const plain = isGzip(bytes) ? gunzipBounded(bytes) : bytes;
  if (!plain) return null;
  let wire: ProcessesWire;
  try {
    wire = ProcessesType.toObject(ProcessesType.decode(plain), { longs: Number, defaults: true }) as ProcessesWire;
  } catch {
    return null;
  }
  const processes = (wire.rows ?? []).map((row) => ({
    pid: row.pid ?? 0,
    name: row.name ?? '',
    // float32 on the wire: 12.3 arrives as 12.300000190734863.
    cpuPercent: Number.isFinite(row.cpu_usage) ? Math.round((row.cpu_usage ?? 0) * 100) / 100 : 0,
    memoryBytes: row.mem_bytes ?? 0,
  }));
  return { processes, processCount: wire.process_count || processes.length };
}

function wholeNonNegative(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

const processesJsonSchema = z.object({
  process_count: z.number().finite().nonnegative(),
  top_processes: z.array(z.object({ pid: z.number().int().nonnegative(), name: z.string(), cpu_usage: z.number().finite(), mem_bytes: z.number().finite().nonnegative() })),
});

/** Reads any reply to `get_processes`: protobuf (compressed or not), or the JSON `{process_count, top_processes}` of older agents. */
export function decodeProcessesReply(data: string | Uint8Array): ProcessList | null {
  const plain = typeof data !== 'string' && isGzip(data) ? gunzipBounded(data) : data;
  if (plain === null) return null;
  if (typeof plain !== 'string' && plain[0] !== OPEN_BRACE) return decodeProcesses(plain);
  const parsed = processesJsonSchema.safeParse(replyJson(typeof plain === 'string' ? plain : new TextDecoder().decode(plain)));
  if (!parsed.success) return null;
  return {
    processCount: parsed.data.process_count,
    processes: parsed.data.top_processes.map((row) => ({ pid: row.pid, name: row.name, cpuPercent: row.cpu_usage, memoryBytes: row.mem_bytes })),
  };
}

/** `{`: a protobuf `Processes` never starts with it (its first byte is a field tag, 0x08 or 0x12). */
const OPEN_BRACE = 0x7b;
