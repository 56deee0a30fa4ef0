// Runs a polled source's client (proto/http-source.ts) against a live HTTP server through the hub's own
// HttpGet and PollConnection, recording what it decoded, for tests to wait on.

import type { PollClient } from '../proto/http-source';
import type { ConnectionState } from '../proto/connection';
import { PollConnection } from '../proto/poll-connection';
import { nodeHttpGet } from '../src-agent/net/http-get';
import { recordSink, type RecordedSink } from './sink-recorder';

/** The hub's HttpGet, for proto/'s tests (proto/ itself may not import the agent). */
export { nodeHttpGet };

export interface PolledSource {
  sink: RecordedSink;
  states: ConnectionState[];
  connection: PollConnection;
  stop(): void;
}

/** Starts polling `url` (credentials and all) with `client`; stop() it in the test's cleanup. */
export function pollSource(client: PollClient, url: string, options: { pollIntervalMs?: number } = {}): PolledSource {
  const sink = recordSink();
  const states: ConnectionState[] = [];
  const connection = new PollConnection({
    endpoint: { protocol: client.id, url },
    client: options.pollIntervalMs === undefined ? client : { ...client, pollIntervalMs: options.pollIntervalMs },
    httpGet: nodeHttpGet,
    sink,
    onState: (state) => states.push(state),
  });
  connection.start();
  return { sink, states, connection, stop: () => connection.stop() };
}
