import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverFrames } from '../../test-support/recorded-session';
import type { Snapshot } from '../model';
import { decodeExecRequest } from './exec-request';
import { encodeStats, parseTaskId } from './http-wire';
import { encodeServerResponse, isDiscoverRequest } from './discovery-wire';
import { decodeServerControl } from './decode';
import {
  decodeClientRequest,
  encodeCpuAlert,
  encodePong,
  encodeStatsUpdate,
  encodeTaskComplete,
  encodeTaskOutput,
  encodeTaskStart,
} from './wire';

const MIB = 1024 * 1024;
const listen = serverFrames(path.join(import.meta.dirname, 'fixtures/v1-listen.jsonl'));
const pingExec = serverFrames(path.join(import.meta.dirname, 'fixtures/v1-ping-exec.jsonl'));

const snapshot: Snapshot = {
  host: { id: 'lab-7', hostname: 'lab-7', memoryTotalBytes: 32_000 * MIB },
  sample: { timeMs: 1_795_321_333_984, cpu: { totalPercent: 93.456 }, memory: { usedPercent: 25, totalBytes: 32_000 * MIB + 1234, usedBytes: 8_000 * MIB + 99 } },
};

describe('servercontrol codec', () => {
  it('decodes the recorded v1 stream: alphabetical keys, MiB and millisecond timestamps', () => {
    const decoded = listen.map((frame) => decodeServerControl(frame, 0));
    expect(decoded.map((message) => message?.kind)).toEqual(['stats_update', 'stats_update', 'stats_update', 'stats_update', 'stats_update']);
    expect(decoded[0]).toEqual({
      kind: 'stats_update',
      hostname: undefined,
      sample: { timeMs: 1_795_321_333_984, cpu: { totalPercent: 7 }, memory: { usedPercent: (699 / 24105) * 100, totalBytes: 24105 * MIB, usedBytes: 699 * MIB } },
    });
    expect(decoded[2]).toMatchObject({ sample: { cpu: { totalPercent: 0.4975124378109453 } } });
  });

  it('decodes the recorded v1 pong and task events, using the time of arrival where the server sends none', () => {
    const decoded = pingExec.map((frame) => decodeServerControl(frame, 42));
    expect(decoded.map((message) => message?.kind)).toEqual(['stats_update', 'stats_update', 'pong', 'pong', 'stats_update', 'task', 'task', 'task', 'stats_update', 'stats_update']);
    expect(decoded[2]).toEqual({ kind: 'pong', timeMs: 1_795_321_341_019 });
    expect(decoded.slice(5, 8)).toEqual([
      { kind: 'task', event: { kind: 'task-start', timeMs: 42, taskId: '1', command: 'echo hi' } },
      { kind: 'task', event: { kind: 'task-output', timeMs: 1_795_321_342_674, taskId: '1', output: 'hi\n' } },
      { kind: 'task', event: { kind: 'task-complete', timeMs: 42, taskId: '1', exitCode: 0 } },
    ]);
  });

  it('encodes stats_update with whole MiB, one-decimal CPU, epoch ms and the hostname newer servers add', () => {
    expect(encodeStatsUpdate(snapshot)).toEqual({ type: 'stats_update', cpu: 93.5, ram_used: 8000, ram_total: 32_000, timestamp: 1_795_321_333_984, hostname: 'lab-7' });
  });

  it('encodes cpu_alert with the configured threshold in the real message text', () => {
    expect(encodeCpuAlert(93.456, 'lab-7', 90, 5)).toEqual({ type: 'cpu_alert', cpu: 93.5, hostname: 'lab-7', message: 'CPU usage exceeded 90%!', timestamp: 5 });
    expect(encodeCpuAlert(80, 'lab-7', 75.5, 5).message).toBe('CPU usage exceeded 75.5%!');
  });

  it('round-trips every server message through encode and decode', () => {
    expect(decodeServerControl(JSON.stringify(encodeStatsUpdate(snapshot)), 0)).toEqual({
      kind: 'stats_update',
      hostname: 'lab-7',
      sample: { timeMs: snapshot.sample.timeMs, cpu: { totalPercent: 93.5 }, memory: { usedPercent: 25, totalBytes: 32_000 * MIB, usedBytes: 8000 * MIB } },
    });
    expect(decodeServerControl(JSON.stringify(encodeCpuAlert(95, 'lab-7', 90, 1_795_321_340_007)), 0)).toEqual({
      kind: 'cpu_alert',
      hostname: 'lab-7',
      event: { kind: 'alert', timeMs: 1_795_321_340_007, severity: 'warning', metric: 'cpu', message: 'CPU usage exceeded 90%!', valuePercent: 95 },
    });
    expect(decodeServerControl(JSON.stringify(encodePong(1_795_321_341_019)), 0)).toEqual({ kind: 'pong', timeMs: 1_795_321_341_019 });
    expect(decodeServerControl(JSON.stringify(encodeTaskStart('12', 'ls -l')), 3)).toEqual({ kind: 'task', event: { kind: 'task-start', timeMs: 3, taskId: '12', command: 'ls -l' } });
    expect(decodeServerControl(JSON.stringify(encodeTaskOutput('12', 'partial li', 1_795_321_340_009)), 3)).toEqual({ kind: 'task', event: { kind: 'task-output', timeMs: 1_795_321_340_009, taskId: '12', output: 'partial li' } });
    expect(decodeServerControl(JSON.stringify(encodeTaskComplete('12', 143)), 3)).toEqual({ kind: 'task', event: { kind: 'task-complete', timeMs: 3, taskId: '12', exitCode: 143 } });
  });

  it('reads a ping with or without request_id, and nothing else, as a client request', () => {
    expect(decodeClientRequest('{"type":"ping"}')).toEqual({ kind: 'ping' });
    expect(decodeClientRequest('{"type":"ping","request_id":"1"}')).toEqual({ kind: 'ping' });
    for (const frame of ['not json', '{"type":"get_system_info","request_id":"2"}', '["ping"]', '"ping"', 'null', '{"type":["ping"]}', 'subscribe:usage']) {
      expect(decodeClientRequest(frame)).toBeNull();
    }
  });

  it.each([
    'not json',
    '',
    'null',
    '[]',
    '42',
    '{"type":"stats_update"}',
    '{"type":"stats_update","cpu":"7"}',
    '{"type":"stats_update","cpu":7,"ram_total":-1}',
    '{"type":"stats_update","cpu":1e400}',
    '{"type":"task_start","task_id":{},"command":"x"}',
    '{"type":"task_output","task_id":"1"}',
    '{"type":"task_complete","task_id":"1","exit_code":"0"}',
    '{"type":"cpu_alert","cpu":"hot"}',
    '{"type":"pong","timestamp":"soon"}',
    '{"type":"welcome","data":{"message":"Connected to SysMedic"}}',
    '{"__proto__":{"type":"stats_update"},"cpu":1}',
  ])('returns null for hostile or foreign frame %j', (frame) => {
    expect(decodeServerControl(frame, 0)).toBeNull();
  });

  it('encodes GET /stats in the units of stats_update', () => {
    expect(encodeStats(snapshot)).toEqual({ cpu: 93.5, ram_used: 8000, ram_total: 32_000 });
  });

  it('reads /exec bodies with cmd or command and explains every refusal', () => {
    expect(decodeExecRequest('{"cmd":"echo hi"}')).toEqual({ command: 'echo hi' });
    expect(decodeExecRequest('{"command":"uptime"}')).toEqual({ command: 'uptime' });
    expect(decodeExecRequest('{"cmd":"a","command":"b"}')).toEqual({ command: 'a' });
    for (const body of ['', 'echo hi', '[]', '{"cmd":42}', '{"cmd":"   "}', '{"run":"ls"}', `{"cmd":"${'x'.repeat(20_000)}"}`, '{"cmd":"a\\u0000b"}']) {
      expect(decodeExecRequest(body)).toEqual({ error: expect.any(String) });
    }
  });

  it('accepts only decimal task ids counting from 1', () => {
    expect(parseTaskId('1')).toBe('1');
    expect(parseTaskId('250')).toBe('250');
    for (const id of [null, '', '0', '01', '-1', '1.5', 'abc', '1 ', '9'.repeat(40)]) expect(parseTaskId(id)).toBeNull();
  });

  it('recognizes only the exact 15 bytes DISCOVER_SERVER', () => {
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
    expect(isDiscoverRequest(bytes('DISCOVER_SERVER'))).toBe(true);
    for (const text of ['DISCOVER_SERVER\n', 'discover_server', 'DISCOVER_SERVE', ' DISCOVER_SERVER', '', 'DISCOVER_SERVERDISCOVER_SERVER']) expect(isDiscoverRequest(bytes(text))).toBe(false);
  });

  it('encodes SERVER_RESPONSE with the real keys first and omits protocols that are not running', () => {
    const answer = encodeServerResponse({ hostname: 'vm', httpPort: 8080, wsPort: 8082, discoveryPort: 2031, otherPorts: { 'gpu-usage': 33931, sysmedic: 8060 } });
    expect(JSON.stringify(answer)).toBe(
      '{"type":"SERVER_RESPONSE","hostname":"vm","port":8080,"ws_port":8082,"discovery_port":2031,"sysmedic_port":8060,"gpu_usage_port":33931,"agent":"fleetwatch"}',
    );
  });
});
