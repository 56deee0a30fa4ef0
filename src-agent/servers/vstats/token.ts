// The agent token of the vStats hub: from the flag, or generated once and kept in the data dir (0600).
// Never logs the token (src-agent/net/secret-match compares it).

import path from 'node:path';
import { readOrCreateSecret } from '../../data-dir';

export const TOKEN_FILE = 'vstats-agent-token';

export interface AgentToken {
  token: string;
  /** Where it is kept, when it was not given on the command line. */
  file?: string;
}

export function resolveAgentToken(flagValue: string | undefined, dataDir: string): AgentToken {
  if (flagValue !== undefined) return { token: flagValue };
  const { secret } = readOrCreateSecret(dataDir, TOKEN_FILE);
  return { token: secret, file: path.join(dataDir, TOKEN_FILE) };
}

