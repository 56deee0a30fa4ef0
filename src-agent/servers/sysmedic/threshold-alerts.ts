// Threshold alerts for CPU and memory: raised on a rising edge over the threshold, re-armed only once the
// value falls a hysteresis margin below it, and at most once per cooldown, so a value hovering at the
// threshold cannot flap. Keeps a bounded history. Pure: time is passed in, nothing is sent from here.

import type { AlertsSummary } from '../../../proto/sysmedic/wire';

export type AlertMetric = 'cpu' | 'memory';

export interface ThresholdAlertOptions {
  thresholdPercent: Record<AlertMetric, number>;
  /** How far below the threshold a value must fall before another alert can be raised. */
  hysteresisPercent: number;
  /** Minimum time between two alerts of one metric. */
  cooldownMs: number;
  /** Alerts kept for `get_alerts`; older ones are forgotten. */
  historySize: number;
}

export const DEFAULT_ALERT_TUNING = { hysteresisPercent: 5, cooldownMs: 60_000, historySize: 50 };

export interface RaisedAlert {
  metric: AlertMetric;
  valuePercent: number;
  thresholdPercent: number;
  raisedAtMs: number;
  resolvedAtMs?: number;
}

interface MetricState {
  armed: boolean;
  lastRaisedAtMs?: number;
  open?: RaisedAlert;
}

const METRICS: readonly AlertMetric[] = ['cpu', 'memory'];
const LABEL: Record<AlertMetric, string> = { cpu: 'CPU', memory: 'memory' };

export class ThresholdAlerts {
  private readonly state: Record<AlertMetric, MetricState> = { cpu: { armed: true }, memory: { armed: true } };
  private readonly history: RaisedAlert[] = [];
  private totalCount = 0;

  constructor(private readonly options: ThresholdAlertOptions) {}

  /** Feeds one reading; returns the alerts it raises (at most one per metric). */
  evaluate(values: Record<AlertMetric, number>, nowMs: number): RaisedAlert[] {
    const raised: RaisedAlert[] = [];
    for (const metric of METRICS) {
      const value = values[metric];
      const threshold = this.options.thresholdPercent[metric];
      const state = this.state[metric];
      if (value > threshold) {
        const coolingDown = state.lastRaisedAtMs !== undefined && nowMs - state.lastRaisedAtMs < this.options.cooldownMs;
        if (!state.armed || coolingDown) continue;
        const alert: RaisedAlert = { metric, valuePercent: value, thresholdPercent: threshold, raisedAtMs: nowMs };
        state.armed = false;
        state.lastRaisedAtMs = nowMs;
        state.open = alert;
        this.remember(alert);
        raised.push(alert);
      } else if (value < threshold - this.options.hysteresisPercent) {
        state.armed = true;
        if (state.open) state.open.resolvedAtMs = nowMs;
        state.open = undefined;
      }
    }
    return raised;
  }

  summary(): AlertsSummary {
    const unresolvedCount = this.history.filter((alert) => alert.resolvedAtMs === undefined).length;
    return {
      unresolvedCount,
      totalCount: this.totalCount,
      recent: this.history.map((alert) => ({ timeMs: alert.raisedAtMs, severity: 'heavy', message: describeAlert(alert), resolved: alert.resolvedAtMs !== undefined })),
      status: unresolvedCount === 0 ? 'No active alerts' : `${unresolvedCount} active alert${unresolvedCount === 1 ? '' : 's'}`,
    };
  }

  private remember(alert: RaisedAlert): void {
    this.totalCount += 1;
    this.history.unshift(alert);
    if (this.history.length > this.options.historySize) this.history.length = this.options.historySize;
  }
}

/** "High system CPU usage: 93.4% (threshold 80%)". */
export function describeAlert(alert: RaisedAlert): string {
  return `High system ${LABEL[alert.metric]} usage: ${alert.valuePercent.toFixed(1)}% (threshold ${alert.thresholdPercent}%)`;
}
