// Every source's client, keyed by id: a new id fails to compile until it has a client. Detection walks
// them in PROTOCOL_IDS order: the WebSocket protocols' clients read a socket, the polled sources' an HTTP answer.

import type { ProtocolClient } from './client';
import { glancesClient } from './glances/client';
import { gpuUsageClient } from './gpu-usage/client';
import type { PollClient } from './http-source';
import { netdataClient } from './netdata/client';
import { nodeExporterClient } from './node-exporter/client';
import { prometheusClient } from './prometheus/client';
import type { PolledSourceId, ProtocolId, StreamProtocolId } from './protocols';
import { serverControlClient } from './servercontrol/client';
import { socktopClient } from './socktop/client';
import { sysmedicClient } from './sysmedic/client';
import { vstatsClient } from './vstats/client';

export const STREAM_CLIENTS: Record<StreamProtocolId, ProtocolClient> = {
  'gpu-usage': gpuUsageClient,
  servercontrol: serverControlClient,
  socktop: socktopClient,
  sysmedic: sysmedicClient,
  vstats: vstatsClient,
};

export const POLL_CLIENTS: Record<PolledSourceId, PollClient> = {
  'node-exporter': nodeExporterClient,
  prometheus: prometheusClient,
  glances: glancesClient,
  netdata: netdataClient,
};

export type SourceClient = ProtocolClient | PollClient;

export const CLIENTS: Record<ProtocolId, SourceClient> = { ...STREAM_CLIENTS, ...POLL_CLIENTS };

export function isPollClient(client: SourceClient): client is PollClient {
  return (client as PollClient).transport === 'http';
}
