// Measures a page's smoothness over a window: frame intervals from requestAnimationFrame and long tasks
// from PerformanceObserver (in the page), main-thread busy time and JS heap from the DevTools protocol.
// Observes only: the page's own code is not changed, wrapped or slowed beyond one rAF callback a frame.

import type { CDPSession, Page } from '@playwright/test';

export interface WindowReading {
  windowMs: number;
  /** Time between consecutive animation frames. */
  frameIntervalsMs: number[];
  /** Durations of main-thread tasks of 50 ms or more. */
  longTasksMs: number[];
  /** Share of the window the renderer's main thread ran tasks, in percent. */
  busyPercent: number;
  /** JS heap in use after a forced collection, before and after the window. */
  heapStartBytes: number;
  heapEndBytes: number;
}

/**
 * Runs in the page. A string, not a function: tsx would wrap a function's inner functions in a `__name`
 * helper that exists only in Node.
 */
const START_IN_PAGE = `(() => {
  const frameIntervalsMs = [];
  const longTasksMs = [];
  let running = true;
  let lastFrameMs;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasksMs.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const onFrame = (timeMs) => {
    if (!running) return;
    if (lastFrameMs !== undefined) frameIntervalsMs.push(timeMs - lastFrameMs);
    lastFrameMs = timeMs;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  globalThis.fleetwatchBenchProbe = () => {
    running = false;
    observer.disconnect();
    delete globalThis.fleetwatchBenchProbe;
    return { frameIntervalsMs, longTasksMs };
  };
})()`;

const STOP_IN_PAGE = 'globalThis.fleetwatchBenchProbe()';

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0;
}

/** Records `windowMs` of the page as it is, with nothing driven in between. */
export async function measureWindow(page: Page, windowMs: number): Promise<WindowReading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    const heapStartBytes = await heapAfterGc(cdp);
    const tasksBefore = await taskSeconds(cdp);
    const startedAt = performance.now();
    await page.evaluate(START_IN_PAGE);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const { frameIntervalsMs, longTasksMs } = (await page.evaluate(STOP_IN_PAGE)) as { frameIntervalsMs: number[]; longTasksMs: number[] };
    const elapsedMs = performance.now() - startedAt;
    const busyPercent = (((await taskSeconds(cdp)) - tasksBefore) * 1000 * 100) / elapsedMs;
    const heapEndBytes = await heapAfterGc(cdp);
    return { windowMs: elapsedMs, frameIntervalsMs, longTasksMs, busyPercent, heapStartBytes, heapEndBytes };
  } finally {
    await cdp.detach();
  }
}
