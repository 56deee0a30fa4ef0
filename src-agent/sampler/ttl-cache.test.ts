import { describe, expect, it } from 'vitest';
import { TtlCache } from './ttl-cache';

/** A load the test resolves or rejects by hand, counting how often the cache starts one. */
function manualLoad<T>() {
  const pending: { resolve(value: T): void; reject(error: Error): void }[] = [];
  return {
    pending,
    load: () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

describe('TtlCache', () => {
  it('returns the cached value within its TTL and loads again once the TTL has passed', async () => {
    let nowMs = 10_000;
    let loads = 0;
    const cache = new TtlCache(500, async () => ++loads, () => nowMs);
    expect(await cache.get()).toBe(1);
    nowMs += 499;
    expect(await cache.get()).toBe(1);
    nowMs += 1;
    expect(await cache.get()).toBe(2);
    expect(loads).toBe(2);
  });

  it('counts the TTL from when a load finished, not from when it started', async () => {
    let nowMs = 0;
    const { pending, load } = manualLoad<string>();
    const cache = new TtlCache(500, load, () => nowMs);
    const first = cache.get();
    nowMs = 400;
    pending[0]!.resolve('slow');
    await first;
    nowMs = 899;
    expect(await cache.get()).toBe('slow');
    expect(pending).toHaveLength(1);
  });

  it('gives every caller that arrives during one load that same load', async () => {
    const { pending, load } = manualLoad<string>();
    const cache = new TtlCache(500, load, () => 0);
    const callers = Array.from({ length: 50 }, () => cache.get());
    expect(pending).toHaveLength(1);
    pending[0]!.resolve('shared');
    expect(await Promise.all(callers)).toEqual(Array(50).fill('shared'));
  });

  it('does not cache a failed load, so the next caller tries again', async () => {
    const { pending, load } = manualLoad<string>();
    const cache = new TtlCache(500, load, () => 0);
    const failing = [cache.get(), cache.get()];
    pending[0]!.reject(new Error('collector broke'));
    for (const caller of failing) await expect(caller).rejects.toThrow('collector broke');
    expect(cache.peek()).toBeUndefined();
    const retry = cache.get();
    expect(pending).toHaveLength(2);
    pending[1]!.resolve('recovered');
    expect(await retry).toBe('recovered');
  });

  it('peeks at the last value however old, without loading', async () => {
    let nowMs = 0;
    let loads = 0;
    const cache = new TtlCache(500, async () => ++loads, () => nowMs);
    expect(cache.peek()).toBeUndefined();
    await cache.get();
    nowMs = 60_000;
    expect(cache.peek()).toBe(1);
    expect(loads).toBe(1);
  });
});
