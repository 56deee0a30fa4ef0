// Decides when a cpu_alert is due: CPU above the threshold, at most once per cooldown. Pure and clocked
// from outside, so the cooldown is tested without waiting for it.

export class CpuAlertGate {
  private lastAlertAtMs: number | undefined;

  constructor(
    private readonly thresholdPercent: number,
    private readonly cooldownMs: number,
  ) {}

  /** True when this reading should raise an alert; the alert then counts as sent. */
  shouldAlert(cpuPercent: number, nowMs: number): boolean {
    if (!(cpuPercent > this.thresholdPercent)) return false;
    if (this.lastAlertAtMs !== undefined && nowMs - this.lastAlertAtMs < this.cooldownMs) return false;
    this.lastAlertAtMs = nowMs;
    return true;
  }
}
