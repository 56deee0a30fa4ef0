// The contract of a source read over plain HTTP (node_exporter, Prometheus, Glances, Netdata): the hub
// polls it, where a WebSocket protocol's client is handed a socket. A session never fetches on its own
// schedule, never retries and never holds a body past the cap: proto/poll-connection.ts does that, through
// the HttpGet it is handed (Node's http in the hub; pages cannot read these servers, which send no CORS headers).

import type { FailureKind, SessionInterest, SourceSink } from './client';
import type { Capability } from './model';
import type { ProtocolId } from './protocols';

/** One HTTP answer, its body decoded as UTF-8. */
export interface HttpAnswer {
  status: number;
  /** The Content-Type header, lower-cased; '' when absent. */
  contentType: string;
  body: string;
}

export interface HttpGetOptions {
  timeoutMs: number;
  /** A body longer than this is abandoned and the request rejects, saying so. */
  maxBytes: number;
  headers?: Record<string, string>;
}

export function isSuccess(answer: HttpAnswer): boolean {
  return answer.status >= 200 && answer.status <= 299;
}

/** Fetches a URL. Rejects with an Error whose message says why (refused, timed out, too large); any status resolves. */
export type HttpGet = (url: string, options: HttpGetOptions) => Promise<HttpAnswer>;

/** A non-2xx answer to a poll; 401 and 403 stop polling until the user changes the credentials. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly path: string,
    /** The answer's body, capped: some servers explain a refusal there (Prometheus' query errors). */
    readonly body = '',
  ) {
    const firstLine = body.trim().split('\n', 1)[0]!.slice(0, 160);
    super(`${path} answered HTTP ${status}${firstLine ? `: ${firstLine}` : ''}`);
  }
}

export interface PollContext {
  /** GETs a path (with its query) of the endpoint, credentials applied; a non-2xx answer rejects with HttpStatusError. */
  get(pathAndQuery: string): Promise<HttpAnswer>;
  sink: SourceSink;
  /** Ends polling: `auth` and `fatal` until the user changes something, `retry` with backoff. */
  fail(reason: string, kind: FailureKind): void;
  /** `host:port` of the endpoint: the host id where the server never names its host. */
  hostLabel: string;
  /** The endpoint URL's path: where the user's URL pointed (a custom metrics path, a Prometheus behind a prefix), else the descriptor's. */
  path: string;
  /** The endpoint URL's query parameters other than credentials (a Prometheus `job=` filter); a `+` stays a plus, as regexes need. */
  params: URLSearchParams;
  now(): number;
}

export interface PollSession {
  /** One interval's reads. A rejection says why this poll failed; the connection retries with backoff. */
  poll(): Promise<void>;
  setInterest?(interest: SessionInterest): void;
  dispose(): void;
}

export interface PollClient {
  transport: 'http';
  id: ProtocolId;
  capabilities: readonly Capability[];
  /** Time from the start of one poll to the start of the next. */
  pollIntervalMs: number;
  /** Largest body any of its requests accepts. */
  maxBodyBytes: number;
  /** Detection: the paths to GET on a candidate port, in order of preference. */
  fingerprintPaths: readonly string[];
  /** Says why an answer to one of `fingerprintPaths` identifies this source (2xx answers only), or null. */
  fingerprint(path: string, answer: HttpAnswer): string | null;
  /** Starts a session once detection or the user named the endpoint. */
  open(context: PollContext): PollSession;
}
