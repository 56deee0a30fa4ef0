import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';
import { agentFrames } from '../../../test-support/recorded-session';
import { decodeAgentFrame } from '../../../proto/vstats/decode';
import { sampleColumns } from '../../../fleet/sample-columns';

const MINUTE = 60_000;
const HOUR_IN_MS = 60 * MINUTE;
const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);
const dirs: string[] = [];

function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetwatch-history-'));
  dirs.push(dir);
  return path.join(dir, 'history.sqlite');
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A store on a hand-moved clock, fed one reading per second from `fromMs` for `seconds`. */
function feed(store: HistoryStore, clock: { nowMs: number }, key: string, seconds: number, value: (second: number) => Record<string, number>): void {
  const start = clock.nowMs;
  for (let second = 0; second < seconds; second += 1) {
    clock.nowMs = start + second * 1000;
    store.record(key, clock.nowMs, value(second));
    if (second % 10 === 9) store.flush();
  }
  clock.nowMs = start + seconds * 1000;
}

describe('the history store', () => {
  it('answers a short window per second and a long one from the per-minute tier', () => {
    const clock = { nowMs: T0 };
    const store = new HistoryStore({ file: tempFile(), now: () => clock.nowMs });
    feed(store, clock, 'a', 180, (second) => ({ cpu: second < 60 ? 10 : second < 120 ? 20 : 30, 'gpu.0.util': 5 }));
    const recent = store.window('a', T0, T0 + 60_000, 600, ['cpu']);
    expect(recent.tier).toBe('seconds');
    expect(recent.series.cpu!.t).toHaveLength(60);
    expect(recent.series['gpu.0.util']).toBeUndefined();
    const long = store.window('a', T0, T0 + 3 * MINUTE, 3);
    expect(long.tier).toBe('minutes');
    expect(long.series.cpu!.mean).toEqual([10, 20, 30]);
    expect(long.series['gpu.0.util']!.max).toEqual([5, 5, 5]);
    store.close();
  });

  it('writes the current minute as small fragments, and a store opened after a crash makes them whole', () => {
    const clock = { nowMs: T0 };
    const file = tempFile();
    const first = new HistoryStore({ file, now: () => clock.nowMs });
    feed(first, clock, 'a', 90, (second) => ({ cpu: second }));
    first.flush();
    const look = new DatabaseSync(file, { readOnly: true });
    const count = (table: string): number => Number(look.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
    // The first minute is whole; the second is on disk only as fragments of the seconds each flush added.
    expect(count('seconds')).toBe(1);
    expect(count('recent')).toBe(3);
    // Left without close(), as a kill -9 leaves it: the next store makes the fragments a whole minute.
    const second = new HistoryStore({ file, now: () => clock.nowMs });
    expect(count('recent')).toBe(0);
    expect(count('seconds')).toBe(2);
    const window = second.window('a', T0, T0 + 2 * MINUTE, 600, ['cpu']);
    expect(window.series.cpu!.t).toHaveLength(90);
    expect(window.series.cpu!.mean.at(-1)).toBe(89);
    second.close();
    expect(count('recent')).toBe(0);
    look.close();
  });

  it('keeps the minutes of an hour a restarted store did not see begin in that hour', () => {
    const clock = { nowMs: T0 };
    const file = tempFile();
    const first = new HistoryStore({ file, now: () => clock.nowMs });
    for (let minute = 0; minute < 3; minute += 1) feed(first, clock, 'a', 60, () => ({ cpu: minute === 1 ? 90 : 10 }));
    first.close();
    const second = new HistoryStore({ file, now: () => clock.nowMs });
    for (let minute = 3; minute < 6; minute += 1) feed(second, clock, 'a', 60, () => ({ cpu: 10 }));
    clock.nowMs += MINUTE;
    second.flush();
    const day = second.window('a', T0, T0 + 24 * 60 * MINUTE, 24);
    expect(day.tier).toBe('hours');
    expect(day.series.cpu!.max).toEqual([90]);
    expect(day.series.cpu!.mean[0]).toBeCloseTo((90 + 5 * 10) / 6, 1);
    second.close();
  });

  it('rolls minutes into hours with min, mean and max', () => {
    const clock = { nowMs: T0 };
    const store = new HistoryStore({ file: tempFile(), now: () => clock.nowMs });
    for (let minute = 0; minute < 61; minute += 1) feed(store, clock, 'a', 60, (second) => ({ cpu: minute === 7 && second === 30 ? 99 : 40 }));
    store.flush();
    const day = store.window('a', T0, T0 + 24 * 60 * MINUTE, 24);
    expect(day.tier).toBe('hours');
    expect(day.series.cpu!.max[0]).toBe(99);
    expect(day.series.cpu!.min[0]).toBe(40);
    expect(day.series.cpu!.mean[0]).toBeCloseTo(40 + 59 / 3600, 1);
    store.close();
  });

  it('drops what each tier no longer keeps', () => {
    const clock = { nowMs: T0 };
    const retention = { secondsMs: 2 * MINUTE, minutesMs: 10 * MINUTE, hoursMs: 24 * 60 * MINUTE };
    const store = new HistoryStore({ file: tempFile(), now: () => clock.nowMs, retention });
    feed(store, clock, 'a', 5 * 60, () => ({ cpu: 1 }));
    store.flush();
    store.prune();
    expect(store.size().rows.seconds).toBeLessThanOrEqual(3);
    expect(store.size().rows.minutes).toBe(5);
    clock.nowMs += 20 * MINUTE;
    store.prune();
    expect(store.size().rows).toEqual({ seconds: 0, minutes: 0, hours: 1 });
    // A window older than the per-second tier keeps is answered from the minutes, not left empty.
    expect(store.window('a', T0, T0 + 5 * MINUTE, 1000).tier).not.toBe('seconds');
    store.close();
  });

  it('keeps the seconds already stored when a restarted hub goes on within the same minute', () => {
    const file = tempFile();
    const clock = { nowMs: T0 };
    const first = new HistoryStore({ file, now: () => clock.nowMs });
    feed(first, clock, 'a', 30, (second) => ({ cpu: second }));
    first.close();
    const second = new HistoryStore({ file, now: () => clock.nowMs });
    feed(second, clock, 'a', 20, (s) => ({ cpu: 100 + s }));
    const window = second.window('a', T0, T0 + MINUTE, 600, ['cpu']);
    expect(window.series.cpu!.t).toHaveLength(50);
    expect(window.series.cpu!.mean[29]).toBe(29);
    expect(window.series.cpu!.mean[30]).toBe(100);
    second.close();
  });

  it('fills a gap with readings sent after the fact, at their own times, and keeps what it already had', () => {
    const clock = { nowMs: T0 };
    const store = new HistoryStore({ file: tempFile(), now: () => clock.nowMs });
    // 40 s of readings, two minutes of silence, then readings again.
    feed(store, clock, 'a', 40, () => ({ cpu: 10 }));
    clock.nowMs = T0 + 160_000;
    feed(store, clock, 'a', 20, () => ({ cpu: 30 }));
    // Every 5 s over the whole span, the first and last seconds already stored.
    const past = Array.from({ length: 36 }, (_, index) => ({ timeMs: T0 + index * 5000, spanMs: 5000, values: { cpu: 20, 'load.1': 0.5 } }));
    expect(store.backfill('a', past)).toBe(24);
    expect(store.backfill('a', past)).toBe(0);
    const window = store.window('a', T0, T0 + 180_000, 1000, ['cpu', 'load.1']);
    expect(window.tier).toBe('seconds');
    const cpu = window.series.cpu!;
    const at = (ms: number): number | undefined => cpu.mean[cpu.t.indexOf(T0 + ms)];
    expect([at(0), at(35_000), at(40_000), at(155_000), at(160_000), at(175_000)]).toEqual([10, 10, 20, 20, 30, 30]);
    // No gap over 5 s left between 0 and 180 s.
    expect(Math.max(...cpu.t.slice(1).map((t, index) => t - cpu.t[index]!))).toBeLessThanOrEqual(5000);
    expect(window.series['load.1']!.t).toHaveLength(24);
    // The minutes' aggregates and the hour were made again with the backfill.
    clock.nowMs = T0 + 5 * MINUTE;
    store.flush();
    const minutes = store.window('a', T0, T0 + 3 * MINUTE, 3, ['cpu']);
    expect(minutes.tier).toBe('minutes');
    expect(minutes.series.cpu!.max).toEqual([20, 20, 30]);
    expect(minutes.series.cpu!.min).toEqual([10, 20, 20]);
    const hour = store.window('a', T0, T0 + 24 * 60 * MINUTE, 24, ['cpu']);
    expect(hour.series.cpu!.max).toEqual([30]);
    store.close();
  });

  it('puts readings over minutes or hours into those tiers, and never over what they hold', () => {
    const clock = { nowMs: T0 + 10 * 24 * 60 * MINUTE };
    const store = new HistoryStore({ file: tempFile(), now: () => clock.nowMs });
    const dayAgo = clock.nowMs - 2 * 24 * 60 * MINUTE;
    expect(store.backfill('a', [{ timeMs: dayAgo, spanMs: 2 * MINUTE, values: { cpu: 40 } }])).toBe(2);
    expect(store.backfill('a', [{ timeMs: dayAgo, spanMs: 15 * MINUTE, values: { cpu: 99 } }])).toBe(13);
    const minutes = store.window('a', dayAgo, dayAgo + 15 * MINUTE, 15, ['cpu']);
    expect(minutes.tier).toBe('minutes');
    expect(minutes.series.cpu!.mean).toEqual([40, 40, ...new Array<number>(13).fill(99)]);
    const monthAgo = clock.nowMs - 40 * 24 * 60 * MINUTE;
    expect(store.backfill('a', [{ timeMs: monthAgo, spanMs: 24 * 60 * MINUTE, values: { cpu: 7 } }])).toBe(24);
    const days = store.window('a', monthAgo, monthAgo + 24 * 60 * MINUTE, 24, ['cpu']);
    expect(days.tier).toBe('hours');
    expect(days.series.cpu!.mean).toEqual(new Array<number>(24).fill(7));
    // Beyond every tier, or in the future: nothing.
    expect(store.backfill('a', [{ timeMs: clock.nowMs - 400 * 24 * 60 * MINUTE, spanMs: HOUR_IN_MS, values: { cpu: 1 } }, { timeMs: clock.nowMs + MINUTE, spanMs: 1000, values: { cpu: 1 } }])).toBe(0);
    store.close();
  });

  it('fills the gap of the recorded real Go agent`s outage from the aggregated_metrics it sent on reconnecting', () => {
    const frames = agentFrames(path.join(import.meta.dirname, '../../../proto/vstats/fixtures/vstats-go-agent-push.jsonl')).map((frame) => decodeAgentFrame(frame, 0));
    const clock = { nowMs: Date.parse('2026-12-04T04:13:30Z') };
    const store = new HistoryStore({ file: tempFile(), now: () => clock.nowMs });
    for (const frame of frames) if (frame?.kind === 'metrics') store.record('real-go-2', frame.sample.timeMs, sampleColumns(frame.sample));
    const before = store.window('real-go-2', Date.parse('2026-12-04T04:12:20Z'), Date.parse('2026-12-04T04:13:10Z'), 1000, ['cpu']).series.cpu!;
    const widest = (t: number[]): number => Math.max(...t.slice(1).map((time, index) => time - t[index]!));
    expect(widest(before.t)).toBeGreaterThan(30_000);
    const backfill = frames.find((frame) => frame?.kind === 'backfill');
    if (backfill?.kind !== 'backfill') throw new Error('the recording has no backfill');
    expect(store.backfill('real-go-2', backfill.readings.map(({ sample, spanMs }) => ({ timeMs: sample.timeMs, spanMs, values: sampleColumns(sample) })))).toBeGreaterThan(0);
    const after = store.window('real-go-2', Date.parse('2026-12-04T04:12:20Z'), Date.parse('2026-12-04T04:13:10Z'), 1000, ['cpu']).series.cpu!;
    expect(widest(after.t)).toBeLessThanOrEqual(5000);
    // The live readings kept their values; the buckets fill only the seconds they lacked.
    expect(after.mean[after.t.indexOf(before.t[0]!)]).toBe(before.mean[0]);
    store.close();
  });

  it('takes a backfill into the minute it is writing without repeating it after a crash', () => {
    const clock = { nowMs: T0 };
    const file = tempFile();
    const first = new HistoryStore({ file, now: () => clock.nowMs });
    feed(first, clock, 'a', 20, () => ({ cpu: 1 }));
    clock.nowMs = T0 + 50_000;
    feed(first, clock, 'a', 5, () => ({ cpu: 3 }));
    expect(first.backfill('a', Array.from({ length: 30 }, (_, index) => ({ timeMs: T0 + 20_000 + index * 1000, spanMs: 1000, values: { cpu: 2 } })))).toBe(30);
    feed(first, clock, 'a', 3, () => ({ cpu: 4 }));
    first.flush();
    // Left as a kill -9 leaves it.
    const second = new HistoryStore({ file, now: () => clock.nowMs });
    const cpu = second.window('a', T0, T0 + MINUTE, 600, ['cpu']).series.cpu!;
    expect(cpu.t).toHaveLength(58);
    expect(new Set(cpu.t).size).toBe(58);
    expect(cpu.mean.slice(18, 22)).toEqual([1, 1, 2, 2]);
    expect(cpu.mean.slice(-4)).toEqual([3, 4, 4, 4]);
    second.close();
  });

  it('survives kill -9 while writing: the file checks out and holds every flushed sample', async () => {
    const file = tempFile();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'crash-writer.test-child.ts'), file, String(T0)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let flushed = 0;
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        flushed = Number(text.trim().split('\n').at(-1));
        if (flushed >= 2000) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const check = new DatabaseSync(file);
    expect(check.prepare('PRAGMA integrity_check').get()?.integrity_check).toBe('ok');
    check.close();
    const store = new HistoryStore({ file, now: () => T0 + 10 * 60 * MINUTE });
    const window = store.window('a-missing', T0, T0 + 1, 1);
    expect(window.series).toEqual({});
    const all = store.window('host-a', T0, T0 + flushed * 1000, flushed * 2, ['cpu']);
    expect(all.series.cpu!.t.length).toBeGreaterThanOrEqual(flushed);
    expect(statSync(file).size).toBeGreaterThan(0);
    store.close();
  });

  it('reports once, clearly, when the file cannot be opened, and takes readings without failing', () => {
    const problems: (string | undefined)[] = [];
    const store = new HistoryStore({ file: '/proc/fleetwatch-no-such-dir/history.sqlite', onProblem: (problem) => problems.push(problem) });
    store.record('a', T0, { cpu: 1 });
    store.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/History cannot be kept in \/proc\/fleetwatch-no-such-dir\/history\.sqlite: .*Live monitoring goes on/);
    expect(store.window('a', T0, T0 + 1000, 10).series).toEqual({});
  });
});
