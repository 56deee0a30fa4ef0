// A value loaded at most once per TTL however many callers ask; concurrent callers share one load.
// A failed load is not cached, so the next caller retries.

export class TtlCache<T> {
  private value: { at: number; data: T } | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    if (this.value && this.now() - this.value.at < this.ttlMs) return Promise.resolve(this.value.data);
    if (this.inFlight) return this.inFlight;
    const loading = this.load().then(
      (data) => {
        this.value = { at: this.now(), data };
        this.inFlight = undefined;
        return data;
      },
      (error: unknown) => {
        this.inFlight = undefined;
        throw error;
      },
    );
    this.inFlight = loading;
    return loading;
  }

  /** The last loaded value, however old, without loading. */
  peek(): T | undefined {
    return this.value?.data;
  }
}
