import { describe, expect, it } from 'vitest';
import type { AlertRule } from './rules';
import { AlertEngine, effectiveRules, metricValue } from './alert-engine';

const cpuRule: AlertRule = { id: 'cpu-high', metric: 'cpu', threshold: 90, forSeconds: 30, hysteresis: 10, cooldownSeconds: 60, severity: 'warning', enabled: true };

/** Feeds one reading per second from `fromSec` and returns the transitions with their times in seconds. */
function run(engine: AlertEngine, rules: AlertRule[], readings: (number | undefined)[], fromSec = 0, hostKey = 'h') {
  const out: string[] = [];
  readings.forEach((value, offset) => {
    const nowMs = (fromSec + offset) * 1000;
    for (const transition of engine.evaluate(hostKey, rules, () => value, nowMs)) out.push(`${transition.kind}@${nowMs / 1000}`);
  });
  return out;
}

describe('AlertEngine', () => {
  it('fires only after the value stayed above the threshold for forSeconds', () => {
    const engine = new AlertEngine();
    expect(run(engine, [cpuRule], Array(30).fill(95))).toEqual([]);
    expect(run(engine, [cpuRule], [95], 30)).toEqual(['fired@30']);
    expect(engine.firing('h').map((rule) => rule.id)).toEqual(['cpu-high']);
  });

  it('starts counting again when the value dips below the threshold before forSeconds', () => {
    const engine = new AlertEngine();
    const readings = [...Array(20).fill(95), 80, ...Array(31).fill(95)];
    expect(run(engine, [cpuRule], readings)).toEqual(['fired@51']);
  });

  it('clears only below threshold minus hysteresis', () => {
    const engine = new AlertEngine();
    run(engine, [cpuRule], Array(31).fill(95));
    expect(run(engine, [cpuRule], [85, 81, 80.5, 80], 31)).toEqual([]);
    expect(run(engine, [cpuRule], [79.9], 35)).toEqual(['cleared@35']);
  });

  it('stays quiet for the cooldown after clearing, then can fire again', () => {
    const engine = new AlertEngine();
    run(engine, [cpuRule], Array(31).fill(95));
    expect(run(engine, [cpuRule], [10], 31)).toEqual(['cleared@31']);
    // Above threshold during the whole 60 s cooldown: nothing, not even a pending count.
    expect(run(engine, [cpuRule], Array(59).fill(99), 32)).toEqual([]);
    expect(engine.isPending('h')).toBe(false);
    // Cooldown over at 91 s: counting starts there, so it fires 30 s later.
    expect(run(engine, [cpuRule], Array(10).fill(99), 91)).toEqual([]);
    expect(engine.isPending('h')).toBe(true);
    expect(run(engine, [cpuRule], Array(21).fill(99), 101)).toEqual(['fired@121']);
    expect(engine.isPending('h')).toBe(false);
  });

  it('fires at once when forSeconds is 0', () => {
    const engine = new AlertEngine();
    expect(run(engine, [{ ...cpuRule, forSeconds: 0 }], [50, 91])).toEqual(['fired@1']);
  });

  it('neither starts nor clears an alert on a missing reading', () => {
    const engine = new AlertEngine();
    run(engine, [cpuRule], Array(31).fill(95));
    expect(run(engine, [cpuRule], [undefined, undefined], 31)).toEqual([]);
    expect(engine.firing('h')).toHaveLength(1);
  });

  it('keeps hosts apart', () => {
    const engine = new AlertEngine();
    const rules = [{ ...cpuRule, forSeconds: 0 }];
    expect(run(engine, rules, [95], 0, 'a')).toEqual(['fired@0']);
    expect(run(engine, rules, [10], 1, 'b')).toEqual([]);
    expect(engine.firing('a')).toHaveLength(1);
    expect(engine.firing('b')).toHaveLength(0);
  });

  it('clears a firing alert when its rule is disabled or removed', () => {
    const engine = new AlertEngine();
    const rules = [{ ...cpuRule, forSeconds: 0 }];
    run(engine, rules, [95]);
    expect(run(engine, [{ ...rules[0]!, enabled: false }], [95], 1)).toEqual(['cleared@1']);
    run(engine, rules, [95], 2);
    const transitions = engine.evaluate('h', [], () => 95, 3000);
    expect(transitions).toEqual([{ kind: 'cleared', hostKey: 'h', rule: rules[0], timeMs: 3000 }]);
  });

  it('reports a forgotten host\'s firing alerts as cleared', () => {
    const engine = new AlertEngine();
    run(engine, [{ ...cpuRule, forSeconds: 0 }], [95]);
    expect(engine.forget('h', 5000).map((transition) => transition.kind)).toEqual(['cleared']);
    expect(engine.hosts()).toEqual([]);
  });
});

describe('effectiveRules', () => {
  it('applies a host\'s overrides to the global rules and leaves other hosts alone', () => {
    const overrides = { 'srv-1': { 'cpu-high': { threshold: 50 } }, 'srv-2': { 'cpu-high': { enabled: false } } };
    expect(effectiveRules([cpuRule], overrides, 'srv-1')[0]).toEqual({ ...cpuRule, threshold: 50 });
    expect(effectiveRules([cpuRule], overrides, 'srv-2')[0]!.enabled).toBe(false);
    expect(effectiveRules([cpuRule], overrides, 'other')[0]).toBe(cpuRule);
  });
});

describe('metricValue', () => {
  const sample = {
    timeMs: 0,
    cpu: { totalPercent: 12 },
    memory: { usedPercent: 40 },
    gpus: [
      { index: 0, utilizationPercent: 10, memoryUsedBytes: 1, memoryTotalBytes: 4, tempC: 50 },
      { index: 1, utilizationPercent: 70, memoryUsedBytes: 3 },
    ],
  };

  it('watches the busiest GPU, with memory totals from the host info where the sample has none', () => {
    const info = { id: 'h', hostname: 'h', gpus: [{ index: 1, name: 'B', memoryTotalBytes: 4 }] };
    expect(metricValue('cpu', sample)).toBe(12);
    expect(metricValue('memory', sample)).toBe(40);
    expect(metricValue('gpuUtilization', sample)).toBe(70);
    expect(metricValue('gpuMemory', sample, info)).toBe(75);
    expect(metricValue('gpuMemory', sample)).toBe(25);
    expect(metricValue('gpuTemp', sample)).toBe(50);
    expect(metricValue('gpuTemp', { timeMs: 0 })).toBeUndefined();
  });
});
