import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BATCH_WINDOW_MS, StreamCadence } from './gpu-usage-cadence';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A 1 s cadence on the fake clock that records which clients were served when. */
function recordedCadence() {
  const served: string[] = [];
  const cadence = new StreamCadence<string>(
    1000,
    async (clients) => void served.push(`${Date.now()}: ${clients.join(' ')}`),
    () => Date.now(),
  );
  return { cadence, served };
}

describe('GPU stream cadence', () => {
  it('serves each client one interval after its previous update, whenever in the cycle it joined', async () => {
    const { cadence, served } = recordedCadence();
    cadence.add('a');
    await vi.advanceTimersByTimeAsync(300);
    cadence.add('b');
    await vi.advanceTimersByTimeAsync(400);
    cadence.add('c');
    await vi.advanceTimersByTimeAsync(2500);
    expect(served).toEqual(['1000: a', '1300: b', '1700: c', '2000: a', '2300: b', '2700: c', '3000: a']);
  });

  it('serves clients due within the batch window with one call, none of them more than the window early', async () => {
    const { cadence, served } = recordedCadence();
    cadence.add('a');
    await vi.advanceTimersByTimeAsync(BATCH_WINDOW_MS - 10);
    cadence.add('b');
    await vi.advanceTimersByTimeAsync(BATCH_WINDOW_MS + 10);
    cadence.add('c');
    await vi.advanceTimersByTimeAsync(2700);
    expect(served).toEqual(['1000: a b', `${1000 + 2 * BATCH_WINDOW_MS}: c`, '2000: a b', `${2000 + 2 * BATCH_WINDOW_MS}: c`]);
  });

  it('runs one timer for a thousand clients joining over one second, and serves them in ten calls', async () => {
    const { cadence, served } = recordedCadence();
    for (let client = 0; client < 1000; client++) {
      cadence.add(String(client));
      await vi.advanceTimersByTimeAsync(1);
      expect(vi.getTimerCount()).toBe(1);
    }
    await vi.advanceTimersByTimeAsync(999);
    // Each call serves every client due within one window: ten calls for the first round, not 1,000.
    expect(served).toHaveLength(Math.ceil(1000 / (BATCH_WINDOW_MS + 1)));
    const clientsServed = new Set(served.flatMap((line) => line.split(' ').slice(1)));
    expect(clientsServed.size).toBe(1000);
  });

  it('stops serving a client that left, and leaves no timer behind once no client streams', async () => {
    const { cadence, served } = recordedCadence();
    cadence.add('a');
    cadence.add('b');
    await vi.advanceTimersByTimeAsync(1000);
    cadence.delete('a');
    await vi.advanceTimersByTimeAsync(1000);
    cadence.delete('b');
    await vi.advanceTimersByTimeAsync(5000);
    expect(served).toEqual(['1000: a b', '2000: b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('after a late tick, serves the next update an interval from then rather than catching up', async () => {
    let nowMs = 0;
    const served: number[] = [];
    const cadence = new StreamCadence<string>(1000, async () => void served.push(nowMs), () => nowMs);
    cadence.add('a');
    // The event loop was blocked: the timer fires 700 ms late.
    nowMs = 1700;
    await vi.advanceTimersByTimeAsync(1000);
    nowMs = 2600;
    await vi.advanceTimersByTimeAsync(900);
    nowMs = 2700;
    await vi.advanceTimersByTimeAsync(100);
    expect(served).toEqual([1700, 2700]);
  });

  it('counts the next interval from when a slow update was sent, so no gap is shorter than the interval', async () => {
    const served: number[] = [];
    const sendTakesMs = 400;
    const cadence = new StreamCadence<string>(1000, () => {
      served.push(Date.now());
      return new Promise((sent) => setTimeout(sent, sendTakesMs));
    }, () => Date.now());
    cadence.add('a');
    await vi.advanceTimersByTimeAsync(3000);
    expect(served).toEqual([1000, 2400]);
  });

  it('does not bring back a client that left while its update was being sent', async () => {
    const served: string[] = [];
    const cadence = new StreamCadence<string>(1000, (clients) => {
      served.push(clients.join(' '));
      return new Promise((sent) => setTimeout(sent, 200));
    }, () => Date.now());
    cadence.add('a');
    cadence.add('b');
    await vi.advanceTimersByTimeAsync(1100);
    cadence.delete('a');
    await vi.advanceTimersByTimeAsync(5000);
    expect(served).toEqual(['a b', 'b', 'b', 'b', 'b']);
  });

  it('clears its timer on close', async () => {
    const { cadence, served } = recordedCadence();
    cadence.add('a');
    cadence.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(served).toEqual([]);
  });
});
