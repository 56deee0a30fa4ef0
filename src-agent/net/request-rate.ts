// The HTTP request rate per client address, shared by every HTTP listener of the agent: one token bucket
// per address in a bounded table. A request over the rate is answered 429 with Retry-After before any
// handler sees it. WebSocket upgrades are not counted here: the connection limits bound them.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log';
import { RateLimiter } from './rate-limiter';
import { writeJson } from './write-json';

/** Addresses tracked at most; past that the least recently seen is forgotten (it gets a full bucket back). */
export const MAX_TRACKED_ADDRESSES = 4096;

interface Tracked {
  bucket: RateLimiter;
  lastSeenMs: number;
  /** Whether its last request was refused, so a flood logs once, not once per request. */
  refusing: boolean;
}

export type RequestVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

export class RequestRateTable {
  /** In order of last use, least recent first. */
  private readonly byAddress = new Map<string, Tracked>();
  /** After this long without a request an address's bucket is full again, so forgetting it changes nothing. */
  private readonly idleMs: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxAddresses = MAX_TRACKED_ADDRESSES,
    private readonly now: () => number = Date.now,
  ) {
    this.idleMs = (burst / ratePerSecond) * 1000;
  }

  get size(): number {
    return this.byAddress.size;
  }

  /** Counts one request from `address`. */
  request(address: string): RequestVerdict {
    const nowMs = this.now();
    let tracked = this.byAddress.get(address);
    if (tracked) this.byAddress.delete(address);
    else tracked = { bucket: new RateLimiter(this.ratePerSecond, this.burst, this.now), lastSeenMs: nowMs, refusing: false };
    this.forgetIdle(nowMs);
    tracked.lastSeenMs = nowMs;
    this.byAddress.set(address, tracked);
    if (tracked.bucket.take()) {
      tracked.refusing = false;
      return { allowed: true };
    }
    const firstRefusal = !tracked.refusing;
    tracked.refusing = true;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(tracked.bucket.waitMs() / 1000)), firstRefusal };
  }

  /** Drops idle addresses from the least recent end, then the least recent one if the table is still full. */
  private forgetIdle(nowMs: number): void {
    for (const [address, tracked] of this.byAddress) {
      if (nowMs - tracked.lastSeenMs < this.idleMs) break;
      this.byAddress.delete(address);
    }
    if (this.byAddress.size >= this.maxAddresses) this.byAddress.delete(this.byAddress.keys().next().value!);
  }
}

/**
 * Answers a request over its address's rate with 429, Retry-After and a JSON error, as the agent's other
 * refusals are; true when it did, and the request must go no further.
 */
export function refuseOverRate(request: IncomingMessage, response: ServerResponse, table: RequestRateTable, log: Logger): boolean {
  const address = request.socket.remoteAddress ?? 'unknown';
  const verdict = table.request(address);
  if (verdict.allowed) return false;
  if (verdict.firstRefusal) log.debug(`refusing HTTP requests from ${address}: more than ${table.ratePerSecond} per second`);
  // Unread, a request body would stall a kept-alive connection.
  request.resume();
  writeJson(response, 429, { error: `Too many requests from this address (at most ${table.ratePerSecond} per second); try again in ${verdict.retryAfterSeconds} s.` }, { 'X-Content-Type-Options': 'nosniff', 'Retry-After': String(verdict.retryAfterSeconds) });
  return true;
}
