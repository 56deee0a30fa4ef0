// Decides whether a notification the UI asked for is shown: not while alerts are paused, not the same
// one again and again, not a flood. Pure bookkeeping over an injected clock; Electron shows what passes.

import type { AppNotification } from '../../src-renderer/platform/platform';

export interface NotificationGateOptions {
  /** The same id with the same text is not shown again within this time. */
  repeatAfterMs?: number;
  /** At most this many notifications per rate window… */
  maxPerWindow?: number;
  rateWindowMs?: number;
  /** Ids remembered at most, so a host that churns ids cannot grow memory. */
  maxRemembered?: number;
}

export type GateDecision = { show: true; replacesPrevious: boolean } | { show: false; reason: 'paused' | 'repeat' | 'rate-limited' };

interface Shown {
  atMs: number;
  text: string;
}

export class NotificationGate {
  private readonly shown = new Map<string, Shown>();
  private recentMs: number[] = [];
  private readonly repeatAfterMs: number;
  private readonly maxPerWindow: number;
  private readonly rateWindowMs: number;
  private readonly maxRemembered: number;

  constructor(options: NotificationGateOptions = {}) {
    this.repeatAfterMs = options.repeatAfterMs ?? 10 * 60_000;
    this.maxPerWindow = options.maxPerWindow ?? 5;
    this.rateWindowMs = options.rateWindowMs ?? 60_000;
    this.maxRemembered = options.maxRemembered ?? 500;
  }

  /**
   * Pausing silences alerts (warning, critical) but not info notices such as "the agent stopped".
   * A critical alert is never dropped by the rate limit: a flood of warnings must not hide it.
   */
  decide(notification: AppNotification, context: { nowMs: number; pausedUntilMs?: number }): GateDecision {
    const { nowMs } = context;
    if (notification.severity !== 'info' && context.pausedUntilMs !== undefined && context.pausedUntilMs > nowMs) return { show: false, reason: 'paused' };
    const text = `${notification.title}\n${notification.body}`;
    const previous = this.shown.get(notification.id);
    if (previous && previous.text === text && nowMs - previous.atMs < this.repeatAfterMs) return { show: false, reason: 'repeat' };
    this.recentMs = this.recentMs.filter((atMs) => nowMs - atMs < this.rateWindowMs);
    if (notification.severity !== 'critical' && this.recentMs.length >= this.maxPerWindow) return { show: false, reason: 'rate-limited' };

    this.recentMs.push(nowMs);
    this.shown.delete(notification.id);
    this.shown.set(notification.id, { atMs: nowMs, text });
    if (this.shown.size > this.maxRemembered) this.shown.delete(this.shown.keys().next().value!);
    return { show: true, replacesPrevious: previous !== undefined };
  }
}
