// The agent beside the hub, as its supervisor (the desktop app, `npm start`) hands it over: the endpoints
// of the agent's --json report, in the environment (credentials included, so never on the command line,
// where any user could read them). The hub shows it as This computer.

import { z } from 'zod';
import type { Endpoint } from '../../proto/client';
import { endpointSchema } from '../../fleet/server-entry';
import type { Logger } from '../log';

export const LOCAL_AGENT_ENV = 'FLEETWATCH_HUB_LOCAL_AGENT';

export function localAgentEndpoints(env: Readonly<Record<string, string | undefined>>, log: Logger): Endpoint[] | undefined {
  const text = env[LOCAL_AGENT_ENV];
  if (!text) return undefined;
  try {
    const parsed = z.array(endpointSchema).max(16).safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    log.warn(`${LOCAL_AGENT_ENV} is not a list of endpoints (${parsed.error.issues[0]?.message}); this computer is not shown`);
  } catch (error) {
    log.warn(`${LOCAL_AGENT_ENV} is not JSON (${(error as Error).message}); this computer is not shown`);
  }
  return undefined;
}

