// Keeps one proto Connection (a WebSocket stream) or PollConnection (a polled HTTP source) per endpoint of
// every source, started and stopped as the source list changes, each writing into the fleet through its
// sink; a source with no endpoints yet is detected until it answers. The only module here that opens
// sockets, always through the WebSocket constructor and the HttpGet it is handed (`ws` and Node's http in the hub).

import { CLIENTS, type SourceClient } from '../proto/clients';
import type { BackoffPolicy } from '../proto/connection';
import type { HttpGet } from '../proto/http-source';
import { sourceConnection, type SourceConnection } from '../proto/source-connection';
import type { Detection } from '../proto/detect';
import { detectUntilFound, type DetectionRun } from '../proto/detect-until-found';
import { PROTOCOLS, type ProtocolId } from '../proto/protocols';
import type { WebSocketConstructor } from '../proto/transport';
import type { Fleet, SourceSpec } from './fleet';

export interface ConnectionPoolOptions {
  fleet: Fleet;
  WebSocket: WebSocketConstructor;
  /** Reads the polled HTTP sources; without it they report that only the hub can read them. */
  httpGet?: HttpGet;
  clients?: Partial<Record<ProtocolId, SourceClient>>;
  backoff?: BackoffPolicy;
  /**
   * Detection found a source that had no endpoints. The owner saves them into that source, and the next
   * sync connects to them; until then the source stays as it was.
   */
  onDetected?(sourceId: string, detectInput: string, found: Detection[]): void;
}

interface Entry {
  sourceId: string;
  connection: SourceConnection;
}

interface Search {
  spec: SourceSpec;
  run: DetectionRun;
}

export class ConnectionPool {
  private readonly connections = new Map<string, Entry>();
  /** Keyed by source id and address, so a changed address starts a new search. */
  private readonly searches = new Map<string, Search>();
  private processesFor: string | undefined;

  constructor(private readonly options: ConnectionPoolOptions) {}

  /** Makes the fleet, the open connections and the searches match `specs`; unchanged endpoints keep their socket. */
  sync(specs: readonly SourceSpec[]): void {
    const { fleet } = this.options;
    fleet.setSources(specs);
    const wanted = new Map(specs.flatMap((spec) => spec.endpoints.map((endpoint) => [key(spec.id, endpoint.url), { spec, endpoint }] as const)));
    for (const [id, entry] of this.connections) {
      if (wanted.has(id)) continue;
      entry.connection.stop();
      this.connections.delete(id);
    }
    for (const [id, { spec, endpoint }] of wanted) {
      if (this.connections.has(id)) continue;
      const client = (this.options.clients ?? CLIENTS)[endpoint.protocol];
      if (!client) {
        fleet.setConnectionState(spec.id, endpoint.url, { status: 'failed', reason: `This build has no ${PROTOCOLS[endpoint.protocol].label} client.` });
        continue;
      }
      const connection = sourceConnection({
        endpoint,
        client,
        WebSocket: this.options.WebSocket,
        ...(this.options.httpGet ? { httpGet: this.options.httpGet } : {}),
        sink: fleet.sinkFor(spec.id, endpoint.url),
        onState: (state) => fleet.setConnectionState(spec.id, endpoint.url, state),
        ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      });
      if ('unreadable' in connection) {
        fleet.setConnectionState(spec.id, endpoint.url, { status: 'failed', reason: connection.unreadable });
        continue;
      }
      this.connections.set(id, { sourceId: spec.id, connection });
      connection.setInterest({ processes: spec.id === this.processesFor });
      connection.start();
    }
    this.syncSearches(specs);
  }

  /** Streams processes only for the source on screen: socktop polls them only while asked. */
  watchProcesses(sourceId: string | undefined): void {
    this.processesFor = sourceId;
    for (const entry of this.connections.values()) entry.connection.setInterest({ processes: entry.sourceId === sourceId });
  }

  /** Starts again the connections or the search of a source that stopped on a refused credential or a fatal error. */
  retry(sourceId: string): void {
    for (const entry of this.connections.values()) if (entry.sourceId === sourceId) entry.connection.start();
    for (const [id, search] of this.searches) if (search.spec.id === sourceId && search.run.ended) this.search(id, search.spec);
  }

  stopAll(): void {
    for (const entry of this.connections.values()) entry.connection.stop();
    this.connections.clear();
    for (const search of this.searches.values()) search.run.stop();
    this.searches.clear();
  }

  get size(): number {
    return this.connections.size;
  }

  private syncSearches(specs: readonly SourceSpec[]): void {
    const wanted = new Map(specs.flatMap((spec) => (spec.endpoints.length === 0 && spec.detectInput !== undefined ? [[key(spec.id, spec.detectInput), spec] as const] : [])));
    for (const [id, search] of this.searches) {
      if (wanted.has(id)) continue;
      search.run.stop();
      this.searches.delete(id);
    }
    for (const [id, spec] of wanted) {
      const search = this.searches.get(id);
      if (search) search.spec = spec;
      else this.search(id, spec);
    }
  }

  private search(id: string, spec: SourceSpec): void {
    const { fleet } = this.options;
    const input = spec.detectInput!;
    const run = detectUntilFound(input, {
      WebSocket: this.options.WebSocket,
      ...(this.options.httpGet ? { httpGet: this.options.httpGet } : {}),
      ...(this.options.clients ? { clients: this.options.clients } : {}),
      ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      onState: (state) => fleet.setDetectionState(spec.id, state),
      onFound: (found) => this.options.onDetected?.(spec.id, input, found),
    });
    this.searches.set(id, { spec, run });
  }
}

function key(sourceId: string, url: string): string {
  return `${sourceId}\u0000${url}`;
}
