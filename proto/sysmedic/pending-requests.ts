// Requests a SysMedic client has sent and not yet seen answered, keyed by `request_id`. Bounded in count and
// in time: a request unanswered after its timeout is forgotten and reported, because the shipped daemon
// never answers any. Holds no socket; it sends through the function it is given.

import { encodeRequest, type RequestId } from './wire';

export interface PendingRequestOptions {
  /** Sends one frame; false when it could not be sent. */
  send(frame: string): boolean;
  timeoutMs: number;
  maxPending: number;
  onTimeout(type: string): void;
  now?: () => number;
}

export interface PendingRequest {
  type: string;
  sentAtMs: number;
}

export class PendingRequests {
  private readonly pending = new Map<string, PendingRequest & { timer: ReturnType<typeof setTimeout> }>();
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly options: PendingRequestOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Sends a request; returns its id, or null when too many are pending or the socket refused it. */
  send(type: string): string | null {
    if (this.pending.size >= this.options.maxPending) return null;
    const requestId = `fw-${this.nextId++}`;
    if (!this.options.send(JSON.stringify(encodeRequest(type, requestId)))) return null;
    const timer = setTimeout(() => {
      if (!this.pending.delete(requestId)) return;
      this.options.onTimeout(type);
    }, this.options.timeoutMs);
    this.pending.set(requestId, { type, sentAtMs: this.now(), timer });
    return requestId;
  }

  /** The request a response answers, once; undefined for ids we never sent or already gave up on. */
  settle(requestId: RequestId): PendingRequest | undefined {
    const key = String(requestId);
    const found = this.pending.get(key);
    if (!found) return undefined;
    clearTimeout(found.timer);
    this.pending.delete(key);
    return { type: found.type, sentAtMs: found.sentAtMs };
  }

  dispose(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
