// The contract between one protocol's client session and the connection that carries it.
// A session never opens sockets, never retries and never buffers without bound: proto/connection does that.

import type { HostEvent, HostInfo, Sample, Capability } from './model';
import type { ProtocolId } from './protocols';

/** Where decoded data goes. One source may report several hosts (vStats). */
export interface SourceSink {
  /** A host appeared, or its static info changed. Must precede samples for that host id. */
  host(info: HostInfo): void;
  sample(hostId: string, sample: Sample): void;
  event(hostId: string, event: HostEvent): void;
  /** A multi-host source says one of its hosts went offline or came back. */
  hostStatus(hostId: string, online: boolean): void;
  hostRemoved(hostId: string): void;
  /** Readings a host reports after the fact (a backfill after an outage), for history only: never its latest state. */
  history(hostId: string, readings: readonly PastReading[]): void;
  /** Round-trip time of the protocol's own ping, where it has one. */
  latency(ms: number): void;
}

/** A reading at its own time, standing for `spanMs` from then (one second, or a bucket of an aggregate). */
export interface PastReading {
  sample: Sample;
  spanMs: number;
}

export interface SessionContext {
  /** Sends a frame; returns false when the socket is not open or its buffer is over the bound (the frame is dropped). */
  send(data: string | Uint8Array): boolean;
  sink: SourceSink;
  /**
   * Ends this socket. `auth` and `fatal` stop retrying until the user changes something;
   * `retry` reconnects with backoff.
   */
  fail(reason: string, kind: FailureKind): void;
  /** `host:port` of the endpoint: the host id for protocols whose messages never name their host. */
  hostLabel: string;
}

export type FailureKind = 'auth' | 'retry' | 'fatal';

/** How a protocol reads a socket that closed after opening (e.g. socktop closing at once on a bad token). */
export interface CloseInfo {
  openForMs: number;
  framesReceived: number;
  code: number;
  url: string;
}

/** What a session can be asked beyond its stream. */
export interface SessionInterest {
  /** Stream the process list where the protocol has one (socktop polls it only while this is set). */
  processes?: boolean;
}

export interface ClientSession {
  /** Called with every frame; must never throw on hostile input. */
  onMessage(data: string | Uint8Array): void;
  setInterest?(interest: SessionInterest): void;
  /** Stops timers; the socket is closed by the caller. */
  dispose(): void;
}

/** One endpoint of one protocol: a WebSocket URL plus the credentials it needs. */
export interface Endpoint {
  protocol: ProtocolId;
  /** Full WebSocket URL including `?token=`/`?secret=` where the protocol uses one. */
  url: string;
}

export interface ProtocolClient {
  id: ProtocolId;
  capabilities: readonly Capability[];
  /** Starts a session on a socket that has just opened. */
  open(context: SessionContext): ClientSession;
  /**
   * Detection: says why a frame the server sent identifies this protocol (e.g. "unprompted stats_update
   * with ram_total"), or null. Called on every frame a detecting socket receives.
   */
  fingerprint(data: string | Uint8Array): string | null;
  /** Detection: a frame to send once listening has found nothing; null for protocols that speak first. */
  probe: string | null;
  /** Turns a close after open into a failure of its own kind; absent or null means "reconnect". */
  classifyClose?(info: CloseInfo): { kind: FailureKind; reason: string } | null;
  /**
   * How long an open stream may go without a frame before the connection is presumed dead and reopened: a
   * peer that lost power leaves the socket open until the OS gives up, minutes later. Absent for protocols
   * that may rightly stay silent (a vStats hub with nothing to report).
   */
  silenceLimitMs?: number;
}
