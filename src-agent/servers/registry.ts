// Every protocol server the agent can run, keyed by protocol id: a new id fails to compile until it has a server.

import type { StreamProtocolId } from '../../proto/protocols';
import { gpuUsageServer } from './gpu-usage';
import { servercontrolServer } from './servercontrol';
import { socktopServer } from './socktop';
import { sysmedicServer } from './sysmedic';
import type { ServerModule } from './types';
import { vstatsServer } from './vstats';

export const SERVERS: Record<StreamProtocolId, ServerModule> = {
  'gpu-usage': gpuUsageServer,
  servercontrol: servercontrolServer,
  socktop: socktopServer,
  sysmedic: sysmedicServer,
  vstats: vstatsServer,
};
