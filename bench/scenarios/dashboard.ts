// Is the web dashboard smooth with 50 hosts at 1 Hz? One real vStats hub (the built agent) relays 49 fake
// agents, which first replay 5 min of past (1 h for the host whose page is opened), and its own machine;
// the built FleetWatch hub watches it and serves the dashboard to headless Chromium. Frames, long tasks,
// main-thread time and heap on the Overview, then on that host's page with the 1 h range.

import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { defaultSettings, type Settings } from '../../src-renderer/platform/settings';
import { spawnAgent, spawnHub, tempDataDir, type SpawnedAgent } from '../../test-support/test-agent';
import { startFakeAgents, type FakeAgents } from '../lib/fake-vstats-agents';
import { measureWindow, type WindowReading } from '../lib/page-probe';
import { percentile } from '../lib/stats';
import type { Figure } from '../lib/figures';

const HOSTS = 50;
const WINDOW_MS = 25_000;
const SETTLE_MS = 3000;
/** Enough past for the Overview's 5-minute sparklines on every pushed host. */
const SPARKLINE_BACKFILL_S = 5 * 60;
/** The host whose page is measured gets a full hour, so the 1 h range draws 3,600 points a line. */
const DETAIL_BACKFILL_S = 60 * 60;
const HUB_TOKEN = 'bench-hub';
const ONLY_VSTATS = ['--no-gpu-usage', '--no-servercontrol', '--no-socktop', '--no-sysmedic', '--no-metrics'];

const serverId = (index: number): string => `bench-host-${String(index + 1).padStart(2, '0')}`;
const DETAIL_HOST = serverId(0);

async function startAgent(role: string, args: string[]): Promise<SpawnedAgent> {
  const agent = await spawnAgent(['--host', '127.0.0.1', '--log-level', 'warn', ...ONLY_VSTATS, ...args], { env: { FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1' }, timeoutMs: 20_000 });
  if (agent.failures.length > 0) {
    await agent.stop();
    throw new Error(`the ${role} agent could not start: ${agent.failures.join('; ')}`);
  }
  return agent;
}

/** Runs in the page: every host is up, and every card near the viewport (the ones that draw figures) shows a reading from the last few seconds. */
function allCardsLive([count, maxAgeMs]: [number, number]): boolean {
  type Element = { textContent: string | null; getAttribute(name: string): string | null };
  const document = (globalThis as unknown as { document: { querySelector(selector: string): Element | null; querySelectorAll(selector: string): ArrayLike<Element> } }).document;
  if (document.querySelector('[data-testid="hosts-up"]')?.textContent !== String(count)) return false;
  const figures = Array.from(document.querySelectorAll('.host-card [data-sample-ms]'));
  const nowMs = Date.now();
  return figures.length > 0 && figures.every((element) => nowMs - Number(element.getAttribute('data-sample-ms') ?? 0) < maxAgeMs);
}

function figuresOf(reading: WindowReading, id: string, label: string): Figure[] {
  const frames = reading.frameIntervalsMs;
  const longTotalMs = reading.longTasksMs.reduce((sum, duration) => sum + duration, 0);
  const minutes = reading.windowMs / 60_000;
  return [
    { id: `${id}-frame-p50`, label: `${label}: frame interval p50`, value: percentile(frames, 50), unit: 'ms' },
    { id: `${id}-frame-p99`, label: `${label}: frame interval p99`, value: percentile(frames, 99), unit: 'ms', target: 50 },
    { id: `${id}-frame-max`, label: `${label}: longest frame interval`, value: frames.length > 0 ? Math.max(...frames) : Number.NaN, unit: 'ms' },
    { id: `${id}-frames-over-50`, label: `${label}: frames over 50 ms`, value: (frames.filter((interval) => interval > 50).length * 100) / Math.max(1, frames.length), unit: '% of frames' },
    { id: `${id}-long-tasks`, label: `${label}: long tasks`, value: reading.longTasksMs.length / minutes, unit: 'per minute' },
    { id: `${id}-long-task-share`, label: `${label}: time in long tasks`, value: (longTotalMs * 100) / reading.windowMs, unit: '% of the window', target: 10 },
    { id: `${id}-long-task-p99`, label: `${label}: long task p99`, value: reading.longTasksMs.length > 0 ? percentile(reading.longTasksMs, 99) : 0, unit: 'ms' },
    { id: `${id}-busy`, label: `${label}: main thread busy`, value: reading.busyPercent, unit: '% of the window' },
    { id: `${id}-heap-start`, label: `${label}: JS heap after GC, start`, value: reading.heapStartBytes / 1e6, unit: 'MB' },
    { id: `${id}-heap-end`, label: `${label}: JS heap after GC, end (${Math.round(reading.windowMs / 1000)} s later)`, value: reading.heapEndBytes / 1e6, unit: 'MB' },
  ];
}

async function openDashboard(browser: Browser, dashboardUrl: string, settings: Settings): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  // Runs in the page, which has localStorage; this file is type-checked without the DOM library.
  await page.addInitScript((text) => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('fleetwatch.settings', text), JSON.stringify(settings));
  await page.goto(dashboardUrl);
  // The relay's own machine: the hub holds its connection before any fake agent replays its past.
  await page.locator('.host-card').first().waitFor({ timeout: 20_000 });
  return page;
}

export async function dashboardSmoothness(): Promise<Figure[]> {
  const started: SpawnedAgent[] = [];
  let browser: Browser | undefined;
  let fakes: FakeAgents | undefined;
  try {
    const relay = await startAgent('vStats hub', ['--vstats-token', HUB_TOKEN, '--vstats-interval', '1', '--max-messages-per-second', '1000']);
    started.push(relay);
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `${relay.url('vstats', 'dashboards')} Bench hub\n`);
    const dashboard = await spawnHub(['--servers', serversFile, '--data-dir', dir, '--log-level', 'warn'], { timeoutMs: 20_000 });
    started.push(dashboard);

    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: 30_000 });
    const page = await openDashboard(browser, dashboard.openInBrowser!, { ...defaultSettings(), theme: 'light' });

    const specs = Array.from({ length: HOSTS - 1 }, (_, index) => ({ serverId: serverId(index), backfillSeconds: index === 0 ? DETAIL_BACKFILL_S : SPARKLINE_BACKFILL_S }));
    fakes = await startFakeAgents(`${relay.url('vstats', 'agents')}?token=${HUB_TOKEN}`, specs);
    await page.waitForFunction(allCardsLive, [HOSTS, 3000] as [number, number], { timeout: 20_000, polling: 500 });
    await page.waitForTimeout(SETTLE_MS);
    const overview = await measureWindow(page, WINDOW_MS);

    await page.getByRole('button', { name: `Open ${DETAIL_HOST}` }).click();
    await page.getByRole('group', { name: 'Time range' }).getByRole('button', { name: '1 h' }).click();
    await page.locator('.chart-card').first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(SETTLE_MS);
    const detail = await measureWindow(page, WINDOW_MS);

    return [...figuresOf(overview, 'dashboard-overview', `dashboard Overview, ${HOSTS} hosts at 1 Hz`), ...figuresOf(detail, 'dashboard-host-1h', 'dashboard host page, 1 h range over an hour of history')];
  } finally {
    await browser?.close();
    await fakes?.close();
    await Promise.all(started.map((agent) => agent.stop()));
  }
}
