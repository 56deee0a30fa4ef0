// When each GPU-stream client gets its next usage_update: on one shared beat, so one timer, one sample and
// one encoded frame serve every streaming client, however many joined at whatever moment. A client joins
// the beat at the first tick at least one interval after its first update, so its first gap is between one
// and two intervals (the real server's gaps vary from 5 to 10 s) and every later gap is one interval.
// It only schedules; sampling and sending stay with the server.

/** A client may be served this much earlier than one interval after joining, so timer jitter never costs it a whole beat. */
export const JOIN_TOLERANCE_MS = 100;

export class StreamCadence<Client> {
  /** Clients waiting for their first beat, and when they may have it; insertion order is time order. */
  private readonly joining = new Map<Client, number>();
  private readonly onBeat = new Set<Client>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private serving = false;

  /** `serve` resolves once the update is sent: the next beat is one interval after that, so a slow sample never shortens a gap. */
  constructor(
    private readonly intervalMs: number,
    private readonly serve: (clients: Client[]) => Promise<unknown>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Call once a client's first update was sent. */
  add(client: Client): void {
    if (this.onBeat.has(client) || this.joining.has(client)) return;
    this.joining.set(client, this.now() + this.intervalMs - JOIN_TOLERANCE_MS);
    if (!this.serving) this.rearm();
  }

  delete(client: Client): void {
    this.joining.delete(client);
    this.onBeat.delete(client);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.joining.clear();
    this.onBeat.clear();
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.now();
    for (const [client, readyAt] of this.joining) {
      if (readyAt > now) break;
      this.joining.delete(client);
      this.onBeat.add(client);
    }
    if (this.onBeat.size === 0) return this.rearm();
    this.serving = true;
    const done = (): void => {
      this.serving = false;
      this.rearm();
    };
    this.serve([...this.onBeat]).then(done, done);
  }

  private rearm(): void {
    if (this.onBeat.size === 0 && this.joining.size === 0) return;
    if (this.timer === undefined) this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }
}
