import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../model';
import { isGzip } from './gzip';
import { decodeProcesses, decodeProcessesReply, encodeProcesses } from './processes';
import { REAL_PROCESSES_JSON, REAL_PROCESSES_PROTOBUF, realJsonFrame } from './test-real-agent';

const REAL_ROWS = [
  { pid: 1, name: 'init', cpuPercent: 0.5, memoryBytes: 4096 },
  { pid: 500, name: 'sshd', cpuPercent: 1.5, memoryBytes: 3_145_728 },
];

function manyProcesses(count: number): ProcessSample[] {
  return Array.from({ length: count }, (_, index) => ({ pid: index + 1, name: `worker-${index}`, cpuPercent: (index % 100) / 4, memoryBytes: (index + 1) * 4096 }));
}

/** The schema of record, read by protobufjs's reflection (which may use eval here, under Node). */
const SchemaProcesses = protobuf.parse(readFileSync(path.join(import.meta.dirname, 'processes.proto'), 'utf8'), { keepCase: true }).root.lookupType('socktop.Processes');

describe('socktop process list codec', () => {
  it('writes exactly the bytes protobufjs writes from processes.proto, and reads them back', () => {
    const rows = [...REAL_ROWS, { pid: 77, name: 'python3 train.py', cpuPercent: 12.5, memoryBytes: 9_876_543_210 }];
    const fromSchema = SchemaProcesses.encode(
      SchemaProcesses.fromObject({ process_count: 3, rows: rows.map((row) => ({ pid: row.pid, name: row.name, cpu_usage: row.cpuPercent, mem_bytes: row.memoryBytes })) }),
    ).finish();
    expect(Buffer.from(encodeProcesses(rows, 3)).toString('hex')).toBe(Buffer.from(fromSchema).toString('hex'));
    const readBySchema = SchemaProcesses.toObject(SchemaProcesses.decode(encodeProcesses(rows, 3)), { longs: Number });
    expect(readBySchema).toEqual({ process_count: 3, rows: rows.map((row) => ({ pid: row.pid, name: row.name, cpu_usage: row.cpuPercent, mem_bytes: row.memoryBytes })) });
  });

  it('leaves fields at their default out, as proto3 encoders do, and reads messages that omit them', () => {
    const zero = { pid: 0, name: '', cpuPercent: 0, memoryBytes: 0 };
    expect(Buffer.from(encodeProcesses([zero], 0)).toString('hex')).toBe('1200');
    expect(decodeProcesses(encodeProcesses([zero], 0))).toEqual({ processCount: 1, processes: [zero] });
  });

  it('decodes a Processes message encoded by hand from the schema', () => {
    expect(decodeProcesses(new Uint8Array(REAL_PROCESSES_PROTOBUF))).toEqual({ processCount: 2, processes: REAL_ROWS });
  });

  it('encodes the same bytes the schema defines for the same message', () => {
    expect(Buffer.from(encodeProcesses(REAL_ROWS, 2)).toString('hex')).toBe(REAL_PROCESSES_PROTOBUF.toString('hex'));
  });

  it('round-trips a large list through gzip, with the gzip magic, whole bytes and float cpu shares', () => {
    const processes = manyProcesses(2000);
    const encoded = encodeProcesses(processes, 2001);
    expect(isGzip(encoded)).toBe(true);
    const decoded = decodeProcesses(encoded);
    expect(decoded?.processCount).toBe(2001);
    expect(decoded?.processes).toEqual(processes);
  });

  it('sends a small list uncompressed, and an empty list as an empty message', () => {
    expect(isGzip(encodeProcesses(REAL_ROWS))).toBe(false);
    expect(encodeProcesses([]).length).toBe(0);
    expect(decodeProcesses(encodeProcesses([]))).toEqual({ processCount: 0, processes: [] });
  });

  it('never puts a negative, fractional or non-finite figure on the wire', () => {
    const decoded = decodeProcesses(encodeProcesses([{ pid: 7, name: 'odd', cpuPercent: Number.NaN, memoryBytes: -5 }, { pid: 8, name: 'frac', cpuPercent: 1, memoryBytes: 10.6 }]));
    expect(decoded?.processes).toEqual([
      { pid: 7, name: 'odd', cpuPercent: 0, memoryBytes: 0 },
      { pid: 8, name: 'frac', cpuPercent: 1, memoryBytes: 11 },
    ]);
  });

  it('reads every form of reply to get_processes: protobuf, gzip protobuf, JSON text and gzip JSON of older agents', () => {
    expect(decodeProcessesReply(new Uint8Array(REAL_PROCESSES_PROTOBUF))?.processes).toEqual(REAL_ROWS);
    expect(decodeProcessesReply(new Uint8Array(gzipSync(REAL_PROCESSES_PROTOBUF)))?.processes).toEqual(REAL_ROWS);
    expect(decodeProcessesReply(JSON.stringify(REAL_PROCESSES_JSON))).toEqual({ processCount: 2, processes: REAL_ROWS });
    const older = { process_count: 60, top_processes: manyProcesses(50).map((row) => ({ pid: row.pid, name: row.name, cpu_usage: row.cpuPercent, mem_bytes: row.memoryBytes })) };
    const frame = realJsonFrame(older);
    expect(typeof frame).not.toBe('string');
    expect(decodeProcessesReply(new Uint8Array(frame as Buffer))?.processes).toHaveLength(50);
  });

  it('never throws on hostile bytes, truncated messages or foreign JSON', () => {
    const truncated = new Uint8Array(REAL_PROCESSES_PROTOBUF.subarray(0, 10));
    expect(decodeProcesses(truncated)).toBeNull();
    expect(decodeProcessesReply('{"type":"metrics"}')).toBeNull();
    expect(decodeProcessesReply('not json')).toBeNull();
    expect(decodeProcessesReply(new Uint8Array([0x1f, 0x8b, 0, 0]))).toBeNull();
    for (let round = 0; round < 200; round += 1) expect(() => decodeProcessesReply(new Uint8Array(randomBytes(64)))).not.toThrow();
  });
});
