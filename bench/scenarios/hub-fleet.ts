// The hub with a fleet of 1,000: 500 ServerControl and 500 GPU-stream fakes on loopback at 1 Hz (the
// two protocols test-support/fake-fleet speaks) handed over with --servers. Time from start until all are
// live on the stream; hub CPU and RSS once settled; delay from a server's frame to the page's stream;
// then the Overview with 1,000 cards in headless Chromium, the same hosts as the fleet table, scrolled, and
// the table left open for ten minutes of live updates (frames, long tasks, the heap at the end).
// In-process: bytes on disk per stored sample and the time to answer a 24 h window for one host.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { DatabaseSync } from 'node:sqlite';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { HistoryStore } from '../../src-agent/hub/history/history-store';
import { startFakeFleet, type FakeFleet } from '../../test-support/fake-fleet';
import { followHub } from '../../test-support/hub-stream';
import { spawnHub, tempDataDir, type SpawnedAgent } from '../../test-support/test-agent';
import { measureWindow as measureProcess } from '../lib/process-meter';
import { measureWindow as measurePage } from '../lib/page-probe';
import { percentile } from '../lib/stats';
import type { Figure } from '../lib/figures';

const PER_PROTOCOL = 500;
const HOSTS = PER_PROTOCOL * 2;
const TOKEN = 'bench-hub-fleet';
const SETTLE_MS = 15_000;
const WINDOW_MS = 20_000;
/** A whole minute: the hub's work comes in once a second, every 5 s (flushes) and once a minute (rollups). */
const CPU_WINDOW_MS = 60_000;
const TABLE_WINDOW_MS = 10_000;
/** How long the table stays open for its heap figure: what a console left on a wall screen does. */
const TABLE_SOAK_MS = 10 * 60_000;
/** Runs in the page (a string: see page-probe.ts): scrolls the table every frame until told to stop. */
const SCROLL_TABLE_IN_PAGE = `(() => {
  const scroller = document.querySelector('.fleet-table-scroll');
  let step = 40;
  let running = true;
  const onFrame = () => {
    if (!running) return;
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) step = -40;
    else if (scroller.scrollTop <= 0) step = 40;
    scroller.scrollTop += step;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  globalThis.fleetwatchStopScrolling = () => { running = false; };
})()`;

export async function hubFleet(): Promise<Figure[]> {
  let fleet: FakeFleet | undefined;
  let hub: SpawnedAgent | undefined;
  let browser: Browser | undefined;
  const dir = tempDataDir();
  try {
    fleet = await startFakeFleet({ servercontrol: PER_PROTOCOL, 'gpu-usage': PER_PROTOCOL });
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, fleet.hosts.map((host) => `${host.target} ${host.hostname}`).join('\n'));
    const startedMs = Date.now();
    hub = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir, '--log-level', 'warn'], { timeoutMs: 30_000 });
    const base = hub.url('hub');
    let allLiveMs = Number.NaN;
    await followHub(base, {
      token: TOKEN,
      timeoutMs: 120_000,
      until: (hosts, _message, arrivedMs) => {
        const live = [...hosts.values()].filter((host) => host.status === 'online').length;
        if (live < HOSTS) return false;
        allLiveMs = arrivedMs - startedMs;
        return true;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const cost = await measureProcess(hub.child.pid!, CPU_WINDOW_MS);

    // ServerControl frames carry the server's send time in ms: the delay is from that to the stream's arrival.
    const delays: number[] = [];
    const until = Date.now() + 10_000;
    await followHub(base, {
      token: TOKEN,
      timeoutMs: 20_000,
      until: (hosts, message, arrivedMs) => {
        if (message.kind === 'delta') for (const { key, sample } of [...message.upserts, ...message.readings]) if (sample && hosts.get(key)?.protocols.includes('servercontrol')) delays.push(arrivedMs - sample.timeMs);
        return arrivedMs > until;
      },
    });

    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
    const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
    await page.goto(hub.openInBrowser!);
    await page.getByTestId('hosts-up').filter({ hasText: String(HOSTS) }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(5000);
    const overview = await measurePage(page, WINDOW_MS);

    // The same 1,000 hosts as the fleet table, scrolled all the while: 40 px a frame, down to the end and back.
    await page.getByRole('group', { name: 'Show hosts as' }).getByRole('button', { name: 'Table' }).click();
    await page.locator('.fleet-table-scroll[data-rows="1000"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3000);
    await page.evaluate(SCROLL_TABLE_IN_PAGE);
    const table = await measurePage(page, TABLE_WINDOW_MS);
    await page.evaluate('globalThis.fleetwatchStopScrolling()');
    await page.waitForTimeout(3000);
    const soak = await measurePage(page, TABLE_SOAK_MS);

    return [
      { id: 'hub-fleet-all-live', label: `hub: from start until all ${HOSTS} servers are live on its stream`, value: allLiveMs / 1000, unit: 's', target: 15 },
      { id: 'hub-fleet-cpu', label: `hub CPU with ${HOSTS} servers at 1 Hz (over a minute)`, value: cost.cpuPercent, unit: '% of a core', target: 5 },
      { id: 'hub-fleet-rss', label: `hub RSS with ${HOSTS} servers`, value: cost.rssBytes / 1e6, unit: 'MB', target: 250 },
      { id: 'hub-fleet-delay-p99', label: 'delay from a server frame to the page stream, p99', value: percentile(delays, 99), unit: 'ms' },
      { id: 'hub-fleet-overview-frame-p99', label: `Overview with ${HOSTS} hosts: frame interval p99`, value: percentile(overview.frameIntervalsMs, 99), unit: 'ms', target: 50 },
      { id: 'hub-fleet-table-scroll-frame-p99', label: `fleet table of ${HOSTS} hosts scrolled 40 px a frame: frame interval p99 (60 fps: 16.7)`, value: percentile(table.frameIntervalsMs, 99), unit: 'ms', target: 17 },
      { id: 'hub-fleet-table-scroll-dropped', label: `fleet table of ${HOSTS} hosts scrolled: frames that took two or more 60 Hz intervals`, value: (100 * table.frameIntervalsMs.filter((interval) => interval > 25).length) / Math.max(1, table.frameIntervalsMs.length), unit: '% of frames' },
      { id: 'hub-fleet-table-scroll-long-task-max', label: `fleet table of ${HOSTS} hosts scrolled: longest task`, value: table.longTasksMs.length > 0 ? Math.max(...table.longTasksMs) : 0, unit: 'ms', target: 50 },
      { id: 'hub-fleet-table-frame-p99', label: `fleet table of ${HOSTS} hosts open for 10 minutes: frame interval p99`, value: percentile(soak.frameIntervalsMs, 99), unit: 'ms', target: 50 },
      { id: 'hub-fleet-table-long-task-max', label: `fleet table of ${HOSTS} hosts open for 10 minutes: longest task`, value: soak.longTasksMs.length > 0 ? Math.max(...soak.longTasksMs) : 0, unit: 'ms', target: 50 },
      { id: 'hub-fleet-table-heap', label: `fleet table of ${HOSTS} hosts: JS heap after GC, after 10 minutes open`, value: soak.heapEndBytes / 1e6, unit: 'MB', target: 150 },
      { id: 'hub-fleet-overview-long-task-max', label: `Overview with ${HOSTS} hosts: longest task`, value: overview.longTasksMs.length > 0 ? Math.max(...overview.longTasksMs) : 0, unit: 'ms', target: 50 },
      ...storeFigures(),
    ];
  } finally {
    await browser?.close();
    await hub?.stop();
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The store alone: 24 h of one host at 1 Hz with 20 columns, and a noisy 100-host hour for its size on disk. */
function storeFigures(): Figure[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetwatch-bench-store-'));
  try {
    const dayStart = Date.UTC(2026, 11, 1);
    let nowMs = dayStart;
    const day = new HistoryStore({ file: path.join(dir, 'day.sqlite'), now: () => nowMs });
    const columns = Array.from({ length: 20 }, (_, index) => `c${index}`);
    let value = 50;
    for (let second = 0; second < 86_400; second += 1) {
      value = Math.max(0, Math.min(100, value + (Math.random() - 0.5) * 4));
      day.record('one-host', nowMs, Object.fromEntries(columns.map((column, index) => [column, Math.round((value + index) * 10) / 10])));
      nowMs += 1000;
      if (second % 10 === 9) day.flush();
    }
    day.flush();
    const times: number[] = [];
    for (let run = 0; run < 20; run += 1) {
      const started = performance.now();
      day.window('one-host', nowMs - 86_400_000, nowMs, 1000);
      times.push(performance.now() - started);
    }
    day.close();

    const file = path.join(dir, 'fleet.sqlite');
    let fleetNow = dayStart;
    const fleet = new HistoryStore({ file, now: () => fleetNow });
    const state = Array.from({ length: 100 }, () => ({ cpu: 20, mem: 40, rx: 1e5, tx: 5e4 }));
    let samples = 0;
    for (let second = 0; second < 3600; second += 1) {
      state.forEach((host, index) => {
        host.cpu = Math.max(0, Math.min(100, host.cpu + (Math.random() - 0.5) * 6));
        host.mem += (Math.random() - 0.5) * 0.1;
        host.rx = Math.max(0, host.rx + (Math.random() - 0.5) * 2e4);
        host.tx = Math.max(0, host.tx + (Math.random() - 0.5) * 1e4);
        const values = { cpu: Math.round(host.cpu * 10) / 10, 'core.0': Math.round(Math.min(100, host.cpu * 1.1) * 10) / 10, 'core.1': Math.round(host.cpu * 0.9 * 10) / 10, mem: Math.round(host.mem * 10) / 10, 'mem.used': (host.mem / 100) * 32e9, 'net.rx': host.rx, 'net.tx': host.tx, disk: 23.4 };
        fleet.record(`host-${index}`, fleetNow, values);
        samples += Object.keys(values).length;
      });
      fleetNow += 1000;
      if (second % 2 === 1) fleet.flush();
    }
    fleet.close();
    const db = new DatabaseSync(file, { readOnly: true });
    const secondsBytes = Number(db.prepare("SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = 'seconds'").get()?.bytes ?? 0);
    db.close();
    return [
      { id: 'hub-store-bytes-per-sample', label: 'history on disk per stored per-second sample (100 hosts × 8 noisy columns × 1 h, per-second tier pages)', value: secondsBytes / samples, unit: 'bytes', target: 1.5 },
      { id: 'hub-store-24h-window', label: 'a 24 h window of one host (20 columns, 1,000 points), median of 20', value: percentile(times, 50), unit: 'ms', target: 50 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
