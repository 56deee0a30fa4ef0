import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverFrames } from '../../test-support/recorded-session';
import type { HostInfo, Sample } from '../model';
import { formatGoDuration, formatLoad, formatNetworkRate, formatUptime, parseLoad, parseUptime } from './formats';
import { decodeSysmedic } from './decode';
import {
  encodeAlert,
  encodeAlertsResponse,
  encodeConfigResponse,
  encodeError,
  encodePong,
  encodeSystemInfoResponse,
  encodeSystemUpdate,
  encodeUserMetricsResponse,
  encodeWelcome,
} from './wire';

const daemon = serverFrames(path.join(import.meta.dirname, 'fixtures/daemon-requests-ignored.jsonl'));
const requestResponse = serverFrames(path.join(import.meta.dirname, 'fixtures/request-response-server.jsonl'));

const host: HostInfo = { id: 'lab-1', hostname: 'lab-1', os: { name: 'Ubuntu', version: '22.04.5 LTS' } };
const sample: Sample = {
  timeMs: 1_795_321_235_000,
  cpu: { totalPercent: 45.2, load: [1.25, 1.45, 1.32] },
  memory: { usedPercent: 67.8 },
  diskUsedPercent: 32.1,
  uptimeSec: 2 * 86400 + 4 * 3600 + 32 * 60 + 17,
  network: { rxBytesPerSec: 1.5 * 1024 * 1024, txBytesPerSec: 0.5 * 1024 * 1024 },
};

describe('sysmedic codec on recorded sessions', () => {
  it('decodes the shipped daemon: welcome, config dropped unread, system_update with integer timestamps and load', () => {
    const decoded = daemon.map((frame) => decodeSysmedic(frame, 0));
    expect(decoded.map((message) => message?.kind)).toEqual(['welcome', 'config', 'system_update', 'system_update', 'system_update']);
    expect(decoded[0]).toEqual({ kind: 'welcome', message: 'Connected to SysMedic', osName: 'Debian GNU/Linux 12 (bookworm)', serverStatus: 'Light Usage', version: '1.0.5' });
    expect(decoded[1]).toEqual({ kind: 'config' });
    expect(JSON.stringify(decoded)).not.toContain('peer_secret');
    expect(decoded[2]).toEqual({
      kind: 'system_update',
      sample: { timeMs: 1_795_321_190_000, cpu: { totalPercent: 0, load: [0.28, 0.17, 0.2] }, memory: { usedPercent: 1.173489048785966 }, diskUsedPercent: 69.43554330391642, uptimeSec: 51 * 60 },
      alerts: [],
    });
  });

  it('decodes the request/response server: ISO timestamps and every reply echoing its request_id', () => {
    const decoded = requestResponse.map((frame) => decodeSysmedic(frame, 0));
    expect(decoded.map((message) => (message?.kind === 'response' ? `${message.type}#${message.requestId}` : message?.kind))).toEqual([
      'welcome',
      'config',
      'system_update',
      'pong#1',
      'system_info_response#2',
      'system_update',
      'error#3',
      'alerts_response#4',
      'config_response#5',
      'uptime_response#6',
      'user_metrics_response#7',
      'system_update',
    ]);
    expect(decoded[2]).toMatchObject({ kind: 'system_update', sample: { timeMs: Date.parse('2026-11-22T04:20:34Z'), uptimeSec: 52 * 60 } });
    expect(decoded[4]).toMatchObject({
      kind: 'response',
      sample: { timeMs: Date.parse('2026-11-22T04:20:36.017Z'), cpu: { totalPercent: 0, load: [0.13, 0.14, 0.18] }, diskUsedPercent: 69.43556904081647 },
    });
    expect(decoded[6]).toMatchObject({ kind: 'response', type: 'error', error: 'Unknown request type: bogus' });
  });
});

describe('sysmedic encoders', () => {
  it('encodes system_update with numeric percentages, "2d 4h 32m" uptime and an ISO timestamp', () => {
    expect(encodeSystemUpdate(sample)).toEqual({
      type: 'system_update',
      data: { cpu_usage: 45.2, memory_usage: 67.8, disk_usage: 32.1, uptime: '2d 4h 32m' },
      timestamp: '2026-11-22T04:20:35.000Z',
    });
  });

  it('encodes system_info_response with load_avg and network_io text and the echoed request_id last', () => {
    const message = encodeSystemInfoResponse(sample, 'req_001');
    expect(message.data).toEqual({ cpu_usage: 45.2, memory_usage: 67.8, disk_usage: 32.1, uptime: '2d 4h 32m', load_avg: '1.25, 1.45, 1.32', network_io: '2.00 MB/s' });
    expect(Object.keys(message)).toEqual(['type', 'data', 'timestamp', 'request_id']);
    expect(message.request_id).toBe('req_001');
  });

  it('encodes welcome, config_response, pong and error in the real server shapes', () => {
    expect(encodeWelcome(host, 'Light Usage', sample.timeMs).data).toEqual({ message: 'Connected to SysMedic', version: '1.0.5', system: 'Ubuntu 22.04.5 LTS', status: 'Light Usage', daemon: 'Running' });
    expect(encodeConfigResponse({ intervalSec: 60, cpuThresholdPercent: 80, memoryThresholdPercent: 75 }, 5, 0).data).toEqual({ monitoring_interval: '1m0s', cpu_threshold: 80, memory_threshold: 75, version: '1.0.5' });
    expect(encodePong('1', 0)).toEqual({ type: 'pong', data: { message: 'pong' }, timestamp: '1970-01-01T00:00:00.000Z', request_id: '1' });
    expect(encodeError('Unknown request type: x', undefined, 0)).toEqual({ type: 'error', data: { error: 'Unknown request type: x' }, timestamp: '1970-01-01T00:00:00.000Z' });
  });

  it('encodes alerts_response and user_metrics_response from model values', () => {
    const alerts = encodeAlertsResponse({ unresolvedCount: 1, totalCount: 3, recent: [{ timeMs: 0, severity: 'heavy', message: 'High system CPU usage', resolved: false }], status: '1 active alert' }, 'a', 0);
    expect(alerts.data).toEqual({ unresolved_count: 1, total_count: 3, recent_alerts: [{ timestamp: '1970-01-01T00:00:00.000Z', severity: 'heavy', message: 'High system CPU usage', resolved: false }], status: '1 active alert' });
    const users = encodeUserMetricsResponse([{ username: 'db', cpuPercent: 82.4, memoryPercent: 45.2, processCount: 15 }], 'u', 0);
    expect(users.data).toEqual([{ username: 'db', cpu_percent: 82.4, memory_percent: 45.2, processes: 15 }]);
  });
});

describe('sysmedic round trips', () => {
  it('decode(encode(system_update)) gives back the sample, uptime to the minute', () => {
    const decoded = decodeSysmedic(JSON.stringify(encodeSystemUpdate(sample)), 0);
    expect(decoded).toEqual({
      kind: 'system_update',
      sample: { timeMs: sample.timeMs, cpu: { totalPercent: 45.2 }, memory: { usedPercent: 67.8 }, diskUsedPercent: 32.1, uptimeSec: sample.uptimeSec! - 17 },
      alerts: [],
    });
  });

  it('decode(encode(system_info_response)) carries the load average', () => {
    const decoded = decodeSysmedic(JSON.stringify(encodeSystemInfoResponse(sample, 'r1')), 0);
    expect(decoded).toMatchObject({ kind: 'response', type: 'system_info_response', requestId: 'r1', sample: { cpu: { totalPercent: 45.2, load: [1.25, 1.45, 1.32] } } });
  });

  it('decode(encode(welcome)) and decode(encode(alert)) give host facts and a critical CPU alert', () => {
    expect(decodeSysmedic(JSON.stringify(encodeWelcome(host, 'Heavy Load', 0)), 0)).toMatchObject({ kind: 'welcome', osName: 'Ubuntu 22.04.5 LTS', serverStatus: 'Heavy Load' });
    const alert = encodeAlert({ timeMs: 1000, status: 'Heavy Load', sample: { ...sample, cpu: { totalPercent: 93.4 } }, users: [], primaryCause: 'High system CPU usage: 93.4% (threshold 80%)', recommendations: ['Check CPU-intensive processes'] });
    expect(alert.data.persistent_users).toEqual([]);
    expect(decodeSysmedic(JSON.stringify(alert), 0)).toEqual({
      kind: 'alert',
      event: { kind: 'alert', timeMs: 1000, severity: 'critical', metric: 'cpu', valuePercent: 93.4, message: 'Heavy Load: High system CPU usage: 93.4% (threshold 80%)' },
    });
  });
});

describe('sysmedic decoding of real-daemon extras', () => {
  const update = (alerts: unknown, system: unknown = null): string =>
    JSON.stringify({ alerts, data: { cpu_usage: 12, memory_usage: 30, disk_usage: 50, uptime: '3h 2m' }, system, timestamp: 1795321190, type: 'system_update' });

  it('turns unresolved PascalCase daemon alerts into events and skips resolved ones', () => {
    const decoded = decodeSysmedic(
      update([
        { ID: 7, Timestamp: '2026-11-22T04:00:00Z', AlertType: 'system', Severity: 'heavy', Message: 'System memory usage above threshold', Resolved: false },
        { ID: 8, Timestamp: '2026-11-22T04:01:00Z', Severity: 'light', Message: 'old', Resolved: true },
      ]),
      0,
    );
    expect(decoded).toMatchObject({ kind: 'system_update', alerts: [{ id: '7', event: { kind: 'alert', severity: 'critical', metric: 'memory', message: 'System memory usage above threshold', timeMs: Date.parse('2026-11-22T04:00:00Z') } }] });
  });

  it('keeps the reading when the extras are malformed', () => {
    const decoded = decodeSysmedic(update('lots', { system: { load1: 'high' } }), 0);
    expect(decoded).toMatchObject({ kind: 'system_update', sample: { cpu: { totalPercent: 12 }, uptimeSec: 3 * 3600 + 2 * 60 }, alerts: [] });
    expect(decoded?.kind === 'system_update' && decoded.sample.cpu?.load).toBeUndefined();
  });

  it('clamps percentages into 0–100', () => {
    const decoded = decodeSysmedic('{"type":"system_update","data":{"cpu_usage":250,"memory_usage":-3,"disk_usage":1e300}}', 5);
    expect(decoded).toMatchObject({ kind: 'system_update', sample: { timeMs: 5, cpu: { totalPercent: 100 }, memory: { usedPercent: 0 }, diskUsedPercent: 100 } });
  });
});

describe('sysmedic text formats', () => {
  it.each([
    [0, '0m'],
    [59 * 60, '59m'],
    [3600, '1h 0m'],
    [86400 + 60, '1d 0h 1m'],
    [400 * 86400 + 23 * 3600 + 59 * 60, '400d 23h 59m'],
  ])('formats %i s as %s and parses it back', (seconds, text) => {
    expect(formatUptime(seconds)).toBe(text);
    expect(parseUptime(text)).toBe(seconds);
  });

  it('reads uptime text it did not write and refuses what is not uptime', () => {
    expect(parseUptime('2h')).toBe(7200);
    expect(parseUptime(' 1d 5s ')).toBe(86400 + 5);
    for (const junk of ['unknown', '', 'd h m', '5 minutes', '1d'.repeat(30), '-3m']) expect(parseUptime(junk)).toBeUndefined();
  });

  it('formats Go durations, load averages and network rates as the real server does', () => {
    expect([5, 59, 60, 90, 3600, 3725].map(formatGoDuration)).toEqual(['5s', '59s', '1m0s', '1m30s', '1h0m0s', '1h2m5s']);
    expect(formatLoad([0.125, 0.14, 0.18])).toBe('0.13, 0.14, 0.18');
    expect(formatNetworkRate(0)).toBe('0.00 MB/s');
    expect(parseLoad('0.13, 0.14, 0.18')).toEqual([0.13, 0.14, 0.18]);
    expect(parseLoad([1.25, 1.45, 1.32])).toEqual([1.25, 1.45, 1.32]);
    for (const junk of ['0.1, 0.2', '1, 2, x', ', , ', [1, 2], ['1', '2', '3'], null, 7]) expect(parseLoad(junk)).toBeUndefined();
  });
});

describe('sysmedic decoding of hostile frames', () => {
  it.each([
    'not json',
    '',
    '[]',
    'null',
    '42',
    '"welcome"',
    '{"type":"welcome"}',
    '{"type":"welcome","data":{"message":7}}',
    '{"type":"system_update","data":{"cpu_usage":"high"}}',
    '{"type":"system_update","data":{"cpu_usage":null}}',
    '{"type":"system_update"}',
    '{"type":"alert","data":"boom"}',
    '{"type":"pong","request_id":{"nested":true}}',
    '{"type":{"x":1},"request_id":"1"}',
    '{"__proto__":{"polluted":true},"type":"system_update","data":{}}',
    `{"type":"welcome","data":{"message":"${'x'.repeat(10_000)}"}}`,
  ])('returns null for %j', (frame) => {
    expect(decodeSysmedic(frame, 0)).toBeNull();
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('never reads a config message, whatever it holds', () => {
    expect(decodeSysmedic('{"type":"config","data":{"secret":"s3cret","password":"hunter2"}}', 0)).toEqual({ kind: 'config' });
  });
});
