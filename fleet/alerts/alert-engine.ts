// The alert rule engine: pure and clock-free (every call is given the time). A rule fires once its metric
// has stayed above the threshold for `forSeconds`, clears only below threshold − hysteresis, then stays
// quiet for its cooldown. Global rules apply to every host; per-host overrides change or disable them.

import type { HostInfo, Sample } from '../../proto/model';
import type { AlertMetric, AlertRule, RuleOverrides } from './rules';
import { gpuMemoryPercent, maxOverGpus } from '../sample-columns';

type Phase = { phase: 'idle' } | { phase: 'pending'; sinceMs: number } | { phase: 'firing'; sinceMs: number; value: number } | { phase: 'cooldown'; untilMs: number };

export interface AlertTransition {
  kind: 'fired' | 'cleared';
  hostKey: string;
  rule: AlertRule;
  /** The reading that caused it; absent when a rule was disabled or removed while firing. */
  value?: number;
  timeMs: number;
}

/** The rules in force on one host: globals with that host's overrides applied. */
export function effectiveRules(rules: readonly AlertRule[], overrides: RuleOverrides, hostKey: string): readonly AlertRule[] {
  const forHost = overrides[hostKey];
  if (!forHost) return rules;
  return rules.map((rule) => {
    const override = forHost[rule.id];
    if (!override) return rule;
    return { ...rule, ...(override.enabled !== undefined ? { enabled: override.enabled } : {}), ...(override.threshold !== undefined ? { threshold: override.threshold } : {}) };
  });
}

/** The value a rule watches: the busiest GPU for GPU metrics. */
export function metricValue(metric: AlertMetric, sample: Sample, info?: HostInfo): number | undefined {
  switch (metric) {
    case 'cpu':
      return sample.cpu?.totalPercent;
    case 'memory':
      return sample.memory?.usedPercent;
    case 'gpuUtilization':
      return maxOverGpus(sample.gpus, (gpu) => gpu.utilizationPercent);
    case 'gpuMemory':
      return maxOverGpus(sample.gpus, (gpu) => gpuMemoryPercent(gpu, info));
    case 'gpuTemp':
      return maxOverGpus(sample.gpus, (gpu) => gpu.tempC);
  }
}

interface RuleState {
  phase: Phase;
  /** The rule as last evaluated, so a rule removed while firing can still be named when it clears. */
  rule: AlertRule;
}

const IDLE: Phase = { phase: 'idle' };

export class AlertEngine {
  private readonly states = new Map<string, Map<string, RuleState>>();

  /** Evaluates every rule for one host's newest reading; returns what fired or cleared. */
  evaluate(hostKey: string, rules: readonly AlertRule[], read: (metric: AlertMetric) => number | undefined, nowMs: number): AlertTransition[] {
    const states = this.statesOf(hostKey);
    const transitions: AlertTransition[] = [];
    // Runs for every host every second: a state is replaced only when it changes.
    for (const rule of rules) {
      const known = states.get(rule.id);
      const before = known?.phase ?? IDLE;
      const value = rule.enabled ? read(rule.metric) : undefined;
      const after: Phase = rule.enabled ? step(before, value, rule, nowMs) : IDLE;
      if (known?.phase !== after || known.rule !== rule) states.set(rule.id, { phase: after, rule });
      if (after.phase === 'firing' && before.phase !== 'firing') transitions.push({ kind: 'fired', hostKey, rule, value: after.value, timeMs: nowMs });
      if (before.phase === 'firing' && after.phase !== 'firing') transitions.push({ kind: 'cleared', hostKey, rule, ...(value !== undefined ? { value } : {}), timeMs: nowMs });
    }
    if (states.size === rules.length) return transitions;
    const seen = new Set(rules.map((rule) => rule.id));
    for (const [ruleId, state] of states) {
      if (seen.has(ruleId)) continue;
      states.delete(ruleId);
      if (state.phase.phase === 'firing') transitions.push({ kind: 'cleared', hostKey, rule: state.rule, timeMs: nowMs });
    }
    return transitions;
  }

  /**
   * Takes up a rule that was firing before a restart: it stays firing (no new transition) until its value
   * drops back, which then clears it as usual. A rule no longer in force clears at the next evaluation.
   */
  resume(hostKey: string, rule: AlertRule, sinceMs: number): void {
    this.statesOf(hostKey).set(rule.id, { phase: { phase: 'firing', sinceMs, value: rule.threshold }, rule });
  }

  /** Rules currently firing on a host. */
  firing(hostKey: string): AlertRule[] {
    return this.inPhase(hostKey, 'firing');
  }

  /** Whether a rule is above threshold but not yet for long enough (the host is heading for an alert); asked of every host every second, so it builds no list. */
  isPending(hostKey: string): boolean {
    // One iterable type only: `values() ?? []` kept this loop from being optimized, and it allocated per step.
    const states = this.states.get(hostKey);
    if (!states) return false;
    for (const state of states.values()) if (state.phase.phase === 'pending') return true;
    return false;
  }

  /** Drops a host (removed from the fleet); its firing alerts are returned as cleared. */
  forget(hostKey: string, nowMs: number): AlertTransition[] {
    const firing = this.firing(hostKey);
    this.states.delete(hostKey);
    return firing.map((rule) => ({ kind: 'cleared', hostKey, rule, timeMs: nowMs }));
  }

  hosts(): string[] {
    return [...this.states.keys()];
  }

  private inPhase(hostKey: string, phase: Phase['phase']): AlertRule[] {
    return [...(this.states.get(hostKey)?.values() ?? [])].filter((state) => state.phase.phase === phase).map((state) => state.rule);
  }

  private statesOf(hostKey: string): Map<string, RuleState> {
    let states = this.states.get(hostKey);
    if (!states) this.states.set(hostKey, (states = new Map()));
    return states;
  }
}

/** One rule's state machine for one host. A missing reading neither starts nor clears an alert. */
export function step(state: Phase, value: number | undefined, rule: AlertRule, nowMs: number): Phase {
  const above = value !== undefined && value > rule.threshold;
  switch (state.phase) {
    case 'cooldown':
      return nowMs >= state.untilMs ? step({ phase: 'idle' }, value, rule, nowMs) : state;
    case 'idle':
      if (!above) return state;
      return rule.forSeconds === 0 ? { phase: 'firing', sinceMs: nowMs, value: value! } : { phase: 'pending', sinceMs: nowMs };
    case 'pending':
      if (!above) return value === undefined ? state : { phase: 'idle' };
      return nowMs - state.sinceMs >= rule.forSeconds * 1000 ? { phase: 'firing', sinceMs: nowMs, value: value! } : state;
    case 'firing':
      if (value === undefined || value >= rule.threshold - rule.hysteresis) return above ? { ...state, value: value! } : state;
      return rule.cooldownSeconds > 0 ? { phase: 'cooldown', untilMs: nowMs + rule.cooldownSeconds * 1000 } : { phase: 'idle' };
  }
}

export type { Phase as RulePhase };
