import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from './history-store';

const MINUTE = 60_000;
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
