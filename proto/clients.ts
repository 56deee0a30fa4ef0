// Every protocol client, keyed by protocol id: a new id fails to compile until it has a client.
// Detection walks them in PROTOCOL_IDS order.

import type { ProtocolClient } from './client';
import { gpuUsageClient } from './gpu-usage/client';
import type { ProtocolId } from './protocols';
import { serverControlClient } from './servercontrol/client';
import { socktopClient } from './socktop/client';
import { sysmedicClient } from './sysmedic/client';
import { vstatsClient } from './vstats/client';

export const CLIENTS: Record<ProtocolId, ProtocolClient> = {
  'gpu-usage': gpuUsageClient,
  servercontrol: serverControlClient,
  socktop: socktopClient,
  sysmedic: sysmedicClient,
  vstats: vstatsClient,
};
