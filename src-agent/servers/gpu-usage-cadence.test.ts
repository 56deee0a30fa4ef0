import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JOIN_TOLERANCE_MS, StreamCadence } from './gpu-usage-cadence';

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
  it('serves the first client one interval after its first update, and a client joining mid-cycle on the next beat at least an interval later', async () => {
    const { cadence, served } = recordedCadence();
    cadence.add('a');
    await vi.advanceTimersByTimeAsync(300);
    cadence.add('b');
    await vi.advanceTimersByTimeAsync(400);
    cadence.add('c');
    await vi.advanceTimersByTimeAsync(2500);
    // b joined at 300 and c at 700: both wait for the beat at 2000 (gaps of 1.7 and 1.3 intervals), then keep it.
    expect(served).toEqual(['1000: a', '2000: a b c', '3000: a b c']);
  });

  it('lets a client join a beat up to the tolerance early, so timer jitter never costs it a whole interval', async () => {
    const { cadence, served } = recordedCadence();
    cadence.add('a');
    await vi.advanceTimersByTimeAsync(JOIN_TOLERANCE_MS - 10);
    cadence.add('b');
    await vi.advanceTimersByTimeAsync(JOIN_TOLERANCE_MS + 10);
    cadence.add('c');
    await vi.advanceTimersByTimeAsync(2000);
    expect(served).toEqual(['1000: a b', '2000: a b c']);
  });

  it('runs one timer for a thousand clients joining over one second, and serves each beat with one call', async () => {
    const { cadence, served } = recordedCadence();
    for (let client = 0; client < 1000; client++) {
      cadence.add(String(client));
      await vi.advanceTimersByTimeAsync(1);
      expect(vi.getTimerCount()).toBe(1);
    }
    await vi.advanceTimersByTimeAsync(2000);
    // The beat at 1000 takes those that joined at 0–100 ms; every later beat takes all 1,000 in one call.
    expect(served.map((line) => line.split(' ').length - 1)).toEqual([JOIN_TOLERANCE_MS + 1, 1000, 1000]);
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
