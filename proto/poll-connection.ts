// One polled HTTP source (proto/http-source.ts): runs the client's session every interval through the HttpGet
// it is handed, says what state it is in the way a WebSocket Connection does, and backs off when polls fail.
// Polls never overlap: the next starts an interval after the last began, or when it ends if it ran longer.

import type { Endpoint, FailureKind, SessionInterest, SourceSink } from './client';
import { backoffDelayMs, DEFAULT_BACKOFF, hostLabel, type BackoffPolicy, type ConnectionState } from './connection';
import { HttpStatusError, isSuccess, type HttpGet, type PollClient, type PollContext, type PollSession } from './http-source';
import { networkErrorWords } from './network-words';
import { queryParams, withoutCredentials } from './target';

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
    const credentials = params.get('token');
    params.delete('token');
    params.delete('secret');
    const origin = `${url.protocol}//${url.username || url.password ? `${url.username}:${url.password}@` : ''}${url.host}`;
    return {
      get: async (pathAndQuery) => {
        const separator = pathAndQuery.includes('?') ? '&' : '?';
        const target = `${origin}${pathAndQuery}${credentials ? `${separator}token=${encodeURIComponent(credentials)}` : ''}`;
        const answer = await this.options.httpGet(target, { timeoutMs: this.options.requestTimeoutMs ?? POLL_REQUEST_TIMEOUT_MS, maxBytes: client.maxBodyBytes });
        if (!isSuccess(answer)) throw new HttpStatusError(answer.status, pathAndQuery.split('?')[0]!, answer.body.slice(0, 64 * 1024));
        return answer;
      },
      sink: this.liveSink(generation),
      fail: (reason, kind) => this.end(generation, reason, kind),
      hostLabel: hostLabel(endpoint.url),
      path: url.pathname,
      params,
      now: this.now,
    };
  }

  /**
   * The sink as this start of the connection sees it: a poll still in flight after stop() or a new start() is
   * heard by no one (its hosts are no longer this connection's to add or remove). Connected from the first
   * thing a session hands on, before it is passed along, and not before: a 200 page of HTML is no source.
   */
  private liveSink(generation: number): SourceSink {
    const { sink } = this.options;
    const live = (): boolean => {
      if (generation !== this.generation) return false;
      this.markConnected();
      return true;
    };
    return {
      host: (info) => live() && sink.host(info),
      sample: (hostId, sample) => live() && sink.sample(hostId, sample),
      event: (hostId, event) => live() && sink.event(hostId, event),
      hostStatus: (hostId, online) => live() && sink.hostStatus(hostId, online),
      hostRemoved: (hostId) => live() && sink.hostRemoved(hostId),
      history: (hostId, readings) => live() && sink.history(hostId, readings),
      latency: (ms) => live() && sink.latency(ms),
    };
  }

  private markConnected(): void {
    if (this.current.status !== 'connected') this.setState({ status: 'connected', sinceMs: this.now() });
  }

  private async poll(generation: number): Promise<void> {
    const session = this.session;
    if (!session || generation !== this.generation) return;
    const startedAt = this.now();
    this.timer = undefined;
    try {
      await session.poll();
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof HttpStatusError && (error.status === 401 || error.status === 403)) {
        return this.end(generation, `The server refused the credentials (${error.message}).`, 'auth');
      }
      return this.retryLater(generation, pollFailureWords(error, withoutCredentials(this.options.endpoint.url)));
    }
    // Stopped meanwhile, or the session asked for a retry, which has its own timer.
    if (generation !== this.generation || this.timer !== undefined) return;
    this.failures = 0;
    this.markConnected();
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

/** Why a poll failed, in a sentence; a network error's words as a WebSocket's would read. */
export function pollFailureWords(error: unknown, url: string): string {
  if (error instanceof HttpStatusError) return `${url}: ${error.message}.`;
  const message = error instanceof Error ? error.message : String(error);
  return `Could not read ${url}: ${networkErrorWords(message)}.`;
}
