// One live connection to one endpoint of one protocol: opens the socket through the WebSocket constructor
// it is handed, runs the protocol's session on it, and reconnects with capped exponential backoff and jitter.
// It never queues outbound frames: a frame that does not fit under the buffer bound is dropped.

import type { ClientSession, Endpoint, ProtocolClient, SessionInterest, SourceSink } from './client';
import { closeQuietly, frameData, WS_OPEN, type WebSocketConstructor, type WebSocketLike } from './transport';
import { closeCodeWords, networkErrorWords } from './network-words';
import { withoutCredentials } from './target';

/**
 * What a monitored source is doing. A Connection reports all but `detecting`, which belongs to a source that
 * has no endpoints yet (proto/detect-until-found.ts); `detail` says what the detector is doing or last saw.
 */
export type ConnectionState =
  | { status: 'detecting'; attempt: number; detail: string }
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; sinceMs: number }
  | { status: 'reconnecting'; attempt: number; retryInMs: number; reason: string }
  | { status: 'auth-required'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'stopped' };

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** Each delay is scaled by a random factor in [1 − jitter, 1 + jitter], then capped. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 1000, maxMs: 30_000, jitter: 0.2 };

/** A socket still not open after this long is given up and retried, as a port that drops packets never answers. */
export const CONNECT_TIMEOUT_MS = 15_000;

/** Outbound frames are dropped once this much is already waiting in the socket. */
export const MAX_OUTBOUND_BUFFER_BYTES = 256 * 1024;

export function backoffDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  const factor = 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.round(Math.min(policy.maxMs, base * factor));
}

export interface ConnectionOptions {
  endpoint: Endpoint;
  client: ProtocolClient;
  WebSocket: WebSocketConstructor;
  sink: SourceSink;
  onState?(state: ConnectionState): void;
  backoff?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  /** Defaults to CONNECT_TIMEOUT_MS. */
  connectTimeoutMs?: number;
}

/** Why a socket ended, as the runtime reported it. Browsers give no detail; `ws` names the HTTP status. */
function describeError(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const withMessage = event as { message?: unknown; error?: { message?: unknown } };
  if (typeof withMessage.message === 'string' && withMessage.message) return withMessage.message;
  if (typeof withMessage.error?.message === 'string') return withMessage.error.message;
  return undefined;
}

const AUTH_STATUS = /\b(401|403)\b/;

export class Connection {
  private socket: WebSocketLike | undefined;
  private session: ClientSession | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The connect timeout before open, then the silence watchdog; one at a time. */
  private guardTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Consecutive failed or dropped connections. The first frame resets it, so backoff starts over; an open
   * alone does not, or a server that accepts and drops at once would be retried every second forever.
   */
  private failures = 0;
  private current: ConnectionState = { status: 'stopped' };
  private interest: SessionInterest = {};
  private readonly now: () => number;

  constructor(private readonly options: ConnectionOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): ConnectionState {
    return this.current;
  }

  start(): void {
    if (this.current.status !== 'stopped' && this.current.status !== 'failed' && this.current.status !== 'auth-required') return;
    this.failures = 0;
    this.open();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.teardown();
    this.setState({ status: 'stopped' });
  }

  setInterest(interest: SessionInterest): void {
    this.interest = interest;
    this.session?.setInterest?.(interest);
  }

  private open(): void {
    this.setState({ status: 'connecting', attempt: this.failures + 1 });
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.options.endpoint.url);
    } catch (error) {
      this.setState({ status: 'failed', reason: `Cannot open ${withoutCredentials(this.options.endpoint.url)}: ${(error as Error).message}` });
      return;
    }
    this.socket = socket;
    socket.binaryType = 'arraybuffer';
    let openedAtMs: number | undefined;
    let framesReceived = 0;
    let lastFrameAtMs = 0;
    let errorText: string | undefined;
    let ended = false;

    const end = (reason: string, kind: 'auth' | 'retry' | 'fatal'): void => {
      if (ended || this.socket !== socket) return;
      ended = true;
      this.teardown();
      if (kind === 'auth') this.setState({ status: 'auth-required', reason });
      else if (kind === 'fatal') this.setState({ status: 'failed', reason });
      else this.scheduleRetry(reason);
    };

    const connectTimeoutMs = this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
    this.guardTimer = setTimeout(() => end(`No answer within ${spanText(connectTimeoutMs)}.`, 'retry'), connectTimeoutMs);
    const silenceLimitMs = this.options.client.silenceLimitMs;
    const watchSilence = (): void => {
      if (silenceLimitMs === undefined) return;
      const quietForMs = this.now() - lastFrameAtMs;
      if (quietForMs >= silenceLimitMs) return end(`Nothing received for ${spanText(quietForMs)}; the server or the network may be down.`, 'retry');
      this.guardTimer = setTimeout(watchSilence, silenceLimitMs - quietForMs);
    };

    socket.onopen = () => {
      openedAtMs = this.now();
      lastFrameAtMs = openedAtMs;
      clearTimeout(this.guardTimer);
      watchSilence();
      this.setState({ status: 'connected', sinceMs: openedAtMs });
      this.session = this.options.client.open({
        send: (data) => this.send(socket, data),
        sink: this.options.sink,
        fail: (reason, kind) => end(reason, kind),
        hostLabel: hostLabel(this.options.endpoint.url),
      });
      this.session.setInterest?.(this.interest);
    };
    socket.onmessage = (event) => {
      const data = frameData(event.data);
      if (data === null || !this.session) return;
      framesReceived += 1;
      lastFrameAtMs = this.now();
      this.failures = 0;
      try {
        this.session.onMessage(data);
      } catch (error) {
        // A session must not throw; if one does, the frame is dropped and the stream goes on.
        this.options.sink.event(hostLabel(this.options.endpoint.url), {
          kind: 'alert',
          timeMs: this.now(),
          severity: 'info',
          message: `Dropped a frame the ${this.options.client.id} client could not read: ${(error as Error).message}`,
        });
      }
    };
    socket.onerror = (event) => {
      errorText ??= describeError(event);
    };
    socket.onclose = (event) => {
      if (openedAtMs === undefined) {
        if (errorText && AUTH_STATUS.test(errorText)) return end(`The server refused the credentials (${errorText}).`, 'auth');
        return end(`Could not connect: ${errorText ? networkErrorWords(errorText) : closeCodeWords(event.code)}.`, 'retry');
      }
      const verdict = this.options.client.classifyClose?.({ openForMs: this.now() - openedAtMs, framesReceived, code: event.code, url: this.options.endpoint.url });
      if (verdict) return end(verdict.reason, verdict.kind);
      end(`Connection closed: ${closeCodeWords(event.code)}${event.reason ? ` (${event.reason})` : ''}.`, 'retry');
    };
  }

  private send(socket: WebSocketLike, data: string | Uint8Array): boolean {
    if (socket !== this.socket || socket.readyState !== WS_OPEN) return false;
    if (socket.bufferedAmount > MAX_OUTBOUND_BUFFER_BYTES) return false;
    socket.send(data);
    return true;
  }

  private scheduleRetry(reason: string): void {
    this.failures += 1;
    const retryInMs = backoffDelayMs(this.failures, this.options.backoff, this.options.random);
    this.setState({ status: 'reconnecting', attempt: this.failures, retryInMs, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.open();
    }, retryInMs);
  }

  private teardown(): void {
    clearTimeout(this.guardTimer);
    this.guardTimer = undefined;
    this.session?.dispose();
    this.session = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    closeQuietly(socket);
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.options.onState?.(state);
  }
}

function spanText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** `host:port` of a URL: the host id for protocols that never name their host. */
export function hostLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  } catch {
    return url;
  }
}

/** The URL with any token or secret replaced, for messages a user may paste into a bug report. */
