// Keeps one proto Connection per endpoint of every source, started and stopped as the source list changes,
// each writing into the fleet through its sink. The only module here that opens sockets, always through
// the WebSocket constructor it is handed (the browser's in the app, `ws` in tests).

import type { ProtocolClient } from '../../proto/client';
import { CLIENTS } from '../../proto/clients';
import { Connection, type BackoffPolicy } from '../../proto/connection';
import { PROTOCOLS, type ProtocolId } from '../../proto/protocols';
import type { WebSocketConstructor } from '../../proto/transport';
import type { Fleet, SourceSpec } from './fleet';

export interface ConnectionPoolOptions {
  fleet: Fleet;
  WebSocket: WebSocketConstructor;
  clients?: Partial<Record<ProtocolId, ProtocolClient>>;
  backoff?: BackoffPolicy;
}

interface Entry {
  sourceId: string;
  connection: Connection;
}

export class ConnectionPool {
  private readonly connections = new Map<string, Entry>();
  private processesFor: string | undefined;

  constructor(private readonly options: ConnectionPoolOptions) {}

  /** Makes the fleet and the open connections match `specs`; unchanged endpoints keep their socket. */
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
      const connection = new Connection({
        endpoint,
        client,
        WebSocket: this.options.WebSocket,
        sink: fleet.sinkFor(spec.id, endpoint.url),
        onState: (state) => fleet.setConnectionState(spec.id, endpoint.url, state),
        ...(this.options.backoff ? { backoff: this.options.backoff } : {}),
      });
      this.connections.set(id, { sourceId: spec.id, connection });
      connection.setInterest({ processes: spec.id === this.processesFor });
      connection.start();
    }
  }

  /** Streams processes only for the source on screen: socktop polls them only while asked. */
  watchProcesses(sourceId: string | undefined): void {
    this.processesFor = sourceId;
    for (const entry of this.connections.values()) entry.connection.setInterest({ processes: entry.sourceId === sourceId });
  }

  /** Starts again the connections of a source that stopped on a refused credential or a fatal error. */
  retry(sourceId: string): void {
    for (const entry of this.connections.values()) if (entry.sourceId === sourceId) entry.connection.start();
  }

  stopAll(): void {
    for (const entry of this.connections.values()) entry.connection.stop();
    this.connections.clear();
  }

  get size(): number {
    return this.connections.size;
  }
}

function key(sourceId: string, url: string): string {
  return `${sourceId}\u0000${url}`;
}
