// Running a protocol client over real sockets in a test: a Connection with the `ws` WebSocket into a
// recording sink, and small stand-in servers; both closed after the test.

import WebSocket from 'ws';
import type { ProtocolClient } from '../proto/client';
import { Connection, type ConnectionOptions } from '../proto/connection';
import type { ProtocolId } from '../proto/protocols';
import type { Cleanups } from './cleanups';
import { startFixtureServer, type FixtureOptions, type FixtureServer } from './fixture-server';
import { recordSink, type RecordedSink } from './sink-recorder';

export function connectClient(
  cleanups: Cleanups,
  protocol: ProtocolId,
  url: string,
  client: ProtocolClient,
  options: Partial<Pick<ConnectionOptions, 'onState' | 'backoff' | 'WebSocket'>> = {},
): { sink: RecordedSink; connection: Connection } {
  const sink = recordSink();
  const connection = new Connection({ endpoint: { protocol, url }, client, WebSocket, sink, ...options });
  connection.start();
  cleanups.push(() => connection.stop());
  return { sink, connection };
}

export async function serveFixture(cleanups: Cleanups, options: FixtureOptions | FixtureOptions['onConnection']): Promise<FixtureServer> {
  const server = await startFixtureServer(typeof options === 'function' ? { onConnection: options } : options);
  cleanups.push(() => server.close());
  return server;
}
