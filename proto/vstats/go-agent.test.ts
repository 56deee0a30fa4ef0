// Golden tests on a session recorded from vStats' real Go agent (fixtures/vstats-go-agent-push.jsonl,
// zsai001/vstats 9b1f52b, recorded on the server's side): what it pushes reaches the model whole, at the hub
// that receives it and, relayed, at a dashboard that reads that hub.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentFrames } from '../../test-support/recorded-session';
import { decodeAgentFrame, decodeDashboardFrame } from './decode';
import { encodeAgentReport, encodeBatchMetrics, encodeHistory, encodeMetrics } from './wire';

const frames = agentFrames(path.join(import.meta.dirname, 'fixtures/vstats-go-agent-push.jsonl'));
const metricsFrames = frames.filter((frame) => (JSON.parse(frame) as { type: string }).type === 'metrics');

describe('vstats: the real Go agent`s metrics', () => {
  it('are read whole: per-core CPU, brand and frequency, swap, load, uptime, OS, network speeds, disks', () => {
    expect(metricsFrames.length).toBeGreaterThan(10);
    const frame = decodeAgentFrame(metricsFrames[0]!, 0);
    expect(frame).toEqual({
      kind: 'metrics',
      host: {
        hostname: 'vm',
        os: { name: 'debian', version: '12.11', kernel: '6.18.44-fc-v1252', arch: 'amd64' },
        cpu: { model: 'AMD EPYC', cores: 2 },
        memoryTotalBytes: 25276166144,
        serverStatus: 'agent version dev',
      },
      sample: {
        timeMs: Date.parse('2026-12-04T04:12:23.037Z'),
        cpu: { totalPercent: 4.7619047, perCorePercent: [4.7619047, 4.7619047], frequencyMhz: 2096, load: [0.13, 0.1, 0.09] },
        memory: { usedPercent: 0.50843155, totalBytes: 25276166144, usedBytes: 128512000, swapTotalBytes: 0, swapUsedBytes: 0 },
        disks: [{ name: 'vda', mountPoint: '/', fsType: 'HDD', totalBytes: 274877906944, usedBytes: 374813794304, availableBytes: -99935887360, usedPercent: 136.35646 }],
        network: { rxBytesPerSec: 0, txBytesPerSec: 0, rxTotalBytes: 0, txTotalBytes: 0 },
        uptimeSec: 21241,
      },
    });
  });

  it('reach a dashboard of our hub with every figure the model took from the agent', () => {
    for (const text of metricsFrames) {
      const pushed = decodeAgentFrame(text, 0);
      if (pushed?.kind !== 'metrics') throw new Error('not a metrics frame');
      const relayed = decodeDashboardFrame(JSON.stringify(encodeMetrics('real-go-2', pushed.sample, { id: 'real-go-2', hostname: 'vm', ...pushed.host })), 0);
      if (relayed?.kind !== 'metrics') throw new Error('not relayed as metrics');
      const { serverStatus: _notRelayed, ...facts } = pushed.host;
      expect(relayed.host).toEqual(facts);
      expect(relayed.sample.cpu).toEqual({ ...pushed.sample.cpu, totalPercent: Math.round(pushed.sample.cpu!.totalPercent * 10) / 10, perCorePercent: pushed.sample.cpu!.perCorePercent!.map((value) => Math.round(value * 10) / 10) });
      expect(relayed.sample.memory).toEqual({ ...pushed.sample.memory, usedPercent: Math.round(pushed.sample.memory!.usedPercent * 10) / 10 });
      expect(relayed.sample.uptimeSec).toBe(pushed.sample.uptimeSec);
      expect(relayed.sample.network).toMatchObject({ rxBytesPerSec: pushed.sample.network!.rxBytesPerSec, txBytesPerSec: pushed.sample.network!.txBytesPerSec });
      expect(relayed.sample.timeMs).toBe(pushed.sample.timeMs);
    }
  });

  it('backfill after an outage as aggregated_metrics: every granularity`s buckets become readings over their interval, at their own times', () => {
    const aggregated = frames.find((frame) => (JSON.parse(frame) as { type: string }).type === 'aggregated_metrics')!;
    const frame = decodeAgentFrame(aggregated, 0);
    if (frame?.kind !== 'backfill') throw new Error('not a backfill');
    const fine = frame.readings.filter((reading) => reading.spanMs === 5000);
    expect(fine).toHaveLength(9);
    // bucket 359271508 of 5 s is 2026-12-04T04:12:20Z; two samples summing 9.52 % CPU.
    expect(fine[0]).toEqual({ sample: { timeMs: Date.parse('2026-12-04T04:12:20Z'), cpu: { totalPercent: 9.523809432983398 / 2 }, memory: { usedPercent: 1.015971839427948 / 2 }, diskUsedPercent: 272.7129364013672 / 2 }, spanMs: 5000 });
    expect(fine.at(-1)!.sample.timeMs).toBe(Date.parse('2026-12-04T04:13:00Z'));
    expect(frame.readings.filter((reading) => reading.spanMs > 5000).map((reading) => [reading.spanMs / 1000, new Date(reading.sample.timeMs).toISOString()])).toEqual([
      [120, '2026-12-04T04:12:00.000Z'],
      [900, '2026-12-04T04:00:00.000Z'],
      [3600, '2026-12-04T04:00:00.000Z'],
      [86400, '2026-12-04T00:00:00.000Z'],
    ]);
    // Relayed to a dashboard and read back, unchanged.
    const relayed = decodeDashboardFrame(JSON.stringify(encodeHistory('real-go-2', frame.readings, 0)), 0);
    expect(relayed).toEqual({ kind: 'history', id: 'real-go-2', readings: frame.readings });
  });

  it('backfill as batch_metrics: each report at its own time, whole, as the real agent wraps it ({timestamp, metrics}) or bare, under metrics or the real server`s metrics_batch', () => {
    const reports = metricsFrames.slice(0, 3).map((text) => (JSON.parse(text) as { metrics: { timestamp: string } }).metrics);
    const live = metricsFrames.slice(0, 3).map((text) => decodeAgentFrame(text, 0));
    const expected = live.map((reading) => ({ sample: reading?.kind === 'metrics' ? reading.sample : undefined, spanMs: 1000 }));
    const wrapped = reports.map((report) => ({ timestamp: report.timestamp, metrics: report }));
    for (const message of [{ metrics: wrapped }, { metrics_batch: wrapped }, { metrics: reports }]) {
      const frame = decodeAgentFrame(JSON.stringify({ type: 'batch_metrics', batch_id: 'b1', ...message }), 0);
      if (frame?.kind !== 'backfill') throw new Error('not a backfill');
      expect(frame.batchId).toBe('b1');
      expect(frame.readings).toEqual(expected);
    }
    // Ours round-trips too, and a report without a time of its own is left out.
    const host = { id: 'h', hostname: 'h' };
    const ours = decodeAgentFrame(JSON.stringify(encodeBatchMetrics('b2', [encodeAgentReport(host, { timeMs: 1_795_000_000_000, cpu: { totalPercent: 3 } }), { ...encodeAgentReport(host, { timeMs: 0 }), timestamp: '' }])), 0);
    expect(ours).toMatchObject({ kind: 'backfill', batchId: 'b2', readings: [{ sample: { timeMs: 1_795_000_000_000, cpu: { totalPercent: 3 } }, spanMs: 1000 }] });
    if (ours?.kind === 'backfill') expect(ours.readings).toHaveLength(1);
  });
});
