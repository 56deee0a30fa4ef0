// socktop's process list: protobuf `Processes` (processes.proto) in a binary frame, gzip-compressed above
// 768 bytes (older real agents answered with JSON instead). Pure functions over protobufjs's Reader and
// Writer: its reflection builds decoders with `Function`, which the renderer's CSP forbids, so the four
// fields are walked here and processes.test.ts checks them byte for byte against processes.proto.

import { Reader, util, Writer, type Long } from 'protobufjs/minimal.js';
import { z } from 'zod';
import type { ProcessSample } from '../model';
import { gunzipBounded, gzipAboveThreshold, isGzip } from './gzip';
import { replyJson } from './wire';

/** Field numbers and wire types of processes.proto. */
const FIELD = {
  processes: { processCount: 1, rows: 2 },
  process: { pid: 1, name: 2, cpuUsage: 3, memBytes: 4 },
} as const;
const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

export interface ProcessList {
  processes: ProcessSample[];
  processCount: number;
}

/** The reply frame's bytes: protobuf, compressed when over the threshold. Fields at their default are left out, as proto3 encoders (and the real agent) do. */
export function encodeProcesses(processes: readonly ProcessSample[], processCount = processes.length): Uint8Array {
  const writer = Writer.create();
  const count = wholeNonNegative(processCount);
  if (count > 0) writer.uint32(tag(FIELD.processes.processCount, WIRE_VARINT)).uint64(count);
  for (const process of processes) {
    writer.uint32(tag(FIELD.processes.rows, WIRE_LENGTH_DELIMITED)).fork();
    const pid = wholeNonNegative(process.pid);
    const cpuShare = Number.isFinite(process.cpuPercent) ? process.cpuPercent : 0;
    const memoryBytes = wholeNonNegative(process.memoryBytes);
    if (pid > 0) writer.uint32(tag(FIELD.process.pid, WIRE_VARINT)).uint32(pid);
    if (process.name) writer.uint32(tag(FIELD.process.name, WIRE_LENGTH_DELIMITED)).string(process.name);
    if (cpuShare !== 0) writer.uint32(tag(FIELD.process.cpuUsage, WIRE_FIXED32)).float(cpuShare);
    if (memoryBytes > 0) writer.uint32(tag(FIELD.process.memBytes, WIRE_VARINT)).uint64(memoryBytes);
    writer.ldelim();
  }
  return gzipAboveThreshold(writer.finish());
}

/** Reads a binary reply (compressed or not); null when it is not a `Processes` message. */
export function decodeProcesses(bytes: Uint8Array): ProcessList | null {
  const plain = isGzip(bytes) ? gunzipBounded(bytes) : bytes;
  if (!plain) return null;
  try {
    const reader = Reader.create(plain);
    let processCount = 0;
    const processes: ProcessSample[] = [];
    while (reader.pos < reader.len) {
      const key = reader.uint32();
      if (key >>> 3 === FIELD.processes.processCount && (key & 7) === WIRE_VARINT) processCount = toNumber(reader.uint64());
      else if (key >>> 3 === FIELD.processes.rows && (key & 7) === WIRE_LENGTH_DELIMITED) processes.push(decodeProcess(reader, reader.uint32()));
      else reader.skipType(key & 7);
    }
    return { processes, processCount: processCount || processes.length };
  } catch {
    return null;
  }
}

function decodeProcess(reader: Reader, length: number): ProcessSample {
  const end = reader.pos + length;
  const process: ProcessSample = { pid: 0, name: '', cpuPercent: 0, memoryBytes: 0 };
  while (reader.pos < end) {
    const key = reader.uint32();
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === FIELD.process.pid && wireType === WIRE_VARINT) process.pid = reader.uint32();
    else if (field === FIELD.process.name && wireType === WIRE_LENGTH_DELIMITED) process.name = reader.string();
    else if (field === FIELD.process.cpuUsage && wireType === WIRE_FIXED32) {
      const share = reader.float();
      // float32 on the wire: 12.3 arrives as 12.300000190734863.
      process.cpuPercent = Number.isFinite(share) ? Math.round(share * 100) / 100 : 0;
    } else if (field === FIELD.process.memBytes && wireType === WIRE_VARINT) process.memoryBytes = toNumber(reader.uint64());
    else reader.skipType(wireType);
  }
  if (reader.pos !== end) throw new Error('a process row overran its length');
  return process;
}

function toNumber(value: number | Long): number {
  return typeof value === 'number' ? value : util.LongBits.from(value).toNumber(true);
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
