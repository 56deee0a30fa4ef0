// When each GPU-stream client is next due a usage_update: one interval after its previous update was sent,
// whenever in the cycle it joined, yet one timer and one call serve every client due at about the same
// moment. It only schedules; sampling and sending stay with the server.

/** Clients due within this long of each other share one call (one sample, one encoded frame), up to this much early. */
export const BATCH_WINDOW_MS = 100;

export class StreamCadence<Client> {
  // Every client has the same interval and its due time is set from "now" when it is added, so due times
  // follow insertion order: the Map's order is the schedule. That keeps a tick O(clients due) and
  // membership O(1), with one timer however many clients stream.
  private readonly dueAt = new Map<Client, number>();
  /** Clients whose update is being sampled and sent; they rejoin the schedule when it is done. */
  private readonly serving = new Set<Client>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `serve` resolves once the update is sent: the next one is due an interval after that, so a slow sample never shortens a gap. */
  constructor(
    private readonly intervalMs: number,
    private readonly serve: (clients: Client[]) => Promise<unknown>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Call when a client's update was sent (its first, for a new client); the next is due one interval later. */
  add(client: Client): void {
    this.dueAt.delete(client);
    this.dueAt.set(client, this.now() + this.intervalMs);
    this.arm();
  }

  delete(client: Client): void {
    this.dueAt.delete(client);
    this.serving.delete(client);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt.clear();
    this.serving.clear();
  }

  private arm(): void {
    if (this.timer !== undefined) return;
    const head = this.dueAt.values().next();
    if (head.done) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, head.value - this.now()));
  }

  private tick(): void {
    this.timer = undefined;
    const cutoff = this.now() + BATCH_WINDOW_MS;
    const due: Client[] = [];
    for (const [client, dueMs] of this.dueAt) {
      if (dueMs > cutoff) break;
      due.push(client);
    }
    for (const client of due) {
      this.dueAt.delete(client);
      this.serving.add(client);
    }
    this.arm();
    if (due.length === 0) return;
    const rejoin = (): void => {
      for (const client of due) if (this.serving.delete(client)) this.add(client);
    };
    this.serve(due).then(rejoin, rejoin);
  }
}
