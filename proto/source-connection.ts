// One live reading of one endpoint, whichever way its source travels: a WebSocket Connection for the stream
// protocols, a PollConnection for the HTTP sources. Both report the same ConnectionState.

import type { Endpoint, SourceSink } from './client';
import { CLIENTS, isPollClient, type SourceClient } from './clients';
import { Connection, type BackoffPolicy, type ConnectionState } from './connection';
import type { HttpGet } from './http-source';
import { PollConnection } from './poll-connection';
import { PROTOCOLS } from './protocols';
import type { WebSocketConstructor } from './transport';

export type SourceConnection = Connection | PollConnection;

export interface SourceConnectionOptions {
  endpoint: Endpoint;
  WebSocket: WebSocketConstructor;
  /** Absent where HTTP cannot be read (a page: these servers send no CORS headers). */
  httpGet?: HttpGet;
  sink: SourceSink;
  onState(state: ConnectionState): void;
  backoff?: BackoffPolicy;
  /** Defaults to the registry's client for the endpoint's protocol. */
  client?: SourceClient;
}

/** A connection not yet started, or a reason this runtime cannot read the endpoint. */
export function sourceConnection(options: SourceConnectionOptions): SourceConnection | { unreadable: string } {
  const { endpoint, httpGet } = options;
  const client = options.client ?? CLIENTS[endpoint.protocol];
  const common = { endpoint, sink: options.sink, onState: options.onState, ...(options.backoff ? { backoff: options.backoff } : {}) };
  if (!isPollClient(client)) return new Connection({ ...common, client, WebSocket: options.WebSocket });
  if (!httpGet) return { unreadable: `${PROTOCOLS[endpoint.protocol].label} is read over HTTP by the hub; a page cannot read it.` };
  return new PollConnection({ ...common, client, httpGet });
}
