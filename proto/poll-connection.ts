// One polled HTTP source (proto/http-source.ts): runs the client's session every interval through the HttpGet
// it is handed, says what state it is in the way a WebSocket Connection does, and backs off when polls fail.
// Polls never overlap: the next starts an interval after the last began, or when it ends if it ran longer.

import type { Endpoint, FailureKind, SessionInterest, SourceSink } from './client';
import { backoffDelayMs, DEFAULT_BACKOFF, hostLabel, type BackoffPolicy, type ConnectionState } from './connection';
import { HttpStatusError, type HttpGet, type PollClient, type PollContext, type PollSession } from './http-source';
import { networkErrorWords } from './network-words';
import { withoutCredentials } from './target';

/** No request of a poll may take longer: a server that trickles its answer costs one poll, never the hub. */
export const POLL_REQUEST_TIMEOUT_MS = 10_000;

export interface PollConnectionOptions {
  endpoint: Endpoint;
  client: PollClient;
  httpGet: HttpGet;
  sink: SourceSink;
  onState?(state: ConnectionState): void;
  backoff?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  requestTimeoutMs?: number;
}

export class PollConnection {
  private session: PollSession | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every start and stop, so a poll still in flight from before cannot reschedule. */
  private generation = 0;
  private failures = 0;
  private current: ConnectionState = { status: 'stopped' };
  private interest: SessionInterest = {};
  private readonly now: () => number;

  constructor(private readonly options: PollConnectionOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (this.current.status !== 'stopped' && this.current.status !== 'failed' && this.current.status !== 'auth-required') return;
    this.teardown();
    this.failures = 0;
    const generation = ++this.generation;
    this.setState({ status: 'connecting', attempt: 1 });
    this.session = this.options.client.open(this.context(generation));
    this.session.setInterest?.(this.interest);
    void this.poll(generation);
  }

  stop(): void {
    this.generation += 1;
    this.teardown();
    this.setState({ status: 'stopped' });
  }

  setInterest(interest: SessionInterest): void {
    this.interest = interest;
    this.session?.setInterest?.(interest);
  }

  private context(generation: number): PollContext {
    const { endpoint, client } = this.options;
    const url = new URL(endpoint.url);
    const params = queryParams(url.search);
    params.delete('token');
    params.delete('secret');
    const credentials = url.searchParams.get('token');
    const origin = `${url.protocol}//${url.username || url.password ? `${url.username}:${url.password}@` : ''}${url.host}`;
    return {
      get: async (pathAndQuery) => {
        const separator = pathAndQuery.includes('?') ? '&' : '?';
        const target = `${origin}${pathAndQuery}${credentials ? `${separator}token=${encodeURIComponent(credentials)}` : ''}`;
        const answer = await this.options.httpGet(target, { timeoutMs: this.options.requestTimeoutMs ?? POLL_REQUEST_TIMEOUT_MS, maxBytes: client.maxBodyBytes });
        if (answer.status < 200 || answer.status > 299) throw new HttpStatusError(answer.status, pathAndQuery.split('?')[0]!, answer.body.slice(0, 64 * 1024));
        // Connected from the first good answer, before the session hands on what it read.
        if (generation === this.generation && this.current.status !== 'connected') this.setState({ status: 'connected', sinceMs: this.now() });
        return answer;
      },
      sink: this.options.sink,
      fail: (reason, kind) => this.end(generation, reason, kind),
      hostLabel: hostLabel(endpoint.url),
      path: url.pathname,
      params,
      now: this.now,
    };
  }

  private async poll(generation: number): Promise<void> {
    const session = this.session;
    if (!session || generation !== this.generation) return;
    const startedAt = this.now();
    try {
      await session.poll();
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 403)) {
        return this.end(generation, `The server refused the credentials (${error.message}).`, 'auth');
      }
      return this.retryLater(generation, pollFailureWords(error, withoutCredentials(this.options.endpoint.url)));
    }
    if (generation !== this.generation) return;
    this.failures = 0;
    const waitMs = Math.max(0, this.options.client.pollIntervalMs - (this.now() - startedAt));
    this.timer = setTimeout(() => void this.poll(generation), waitMs);
  }

  private end(generation: number, reason: string, kind: FailureKind): void {
    if (generation !== this.generation) return;
    if (kind === 'retry') return this.retryLater(generation, reason);
    this.generation += 1;
    this.teardown();
    this.setState(kind === 'auth' ? { status: 'auth-required', reason } : { status: 'failed', reason });
  }

  private retryLater(generation: number, reason: string): void {
    clearTimeout(this.timer);
    this.failures += 1;
    const retryInMs = Math.max(this.options.client.pollIntervalMs, backoffDelayMs(this.failures, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random));
    this.setState({ status: 'reconnecting', attempt: this.failures, retryInMs, reason });
    this.timer = setTimeout(() => void this.poll(generation), retryInMs);
  }

  private teardown(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.session?.dispose();
    this.session = undefined;
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.options.onState?.(state);
  }
}

/** A URL's query, with `+` read as a plus rather than a space: filters are regexes (`job=node.+`). */
export function queryParams(search: string): URLSearchParams {
  return new URLSearchParams(search.replace(/^\?/, '').replace(/\+/g, '%2B'));
}

/** Why a poll failed, in a sentence; a network error's words as a WebSocket's would read. */
export function pollFailureWords(error: unknown, url: string): string {
  if (error instanceof HttpStatusError) return `${url}: ${error.message}.`;
  const message = error instanceof Error ? error.message : String(error);
  return `Could not read ${url}: ${networkErrorWords(message)}.`;
}
