// The hub's --servers file: the text format of fleet/server-list.ts, each line given the id its server
// keeps across restarts, each bad line reported as `file:line: why`.

import { createHash } from 'node:crypto';
import { parseServerList, type ListedServer } from '../../fleet/server-list';

export interface ServerLine extends ListedServer {
  /** Stable across restarts and edits elsewhere in the file, so a server keeps its history. */
  id: string;
}

export interface ServersFile {
  servers: ServerLine[];
  /** One per bad line, e.g. `servers.txt:12: "ftp://x" is not a monitoring URL; …`. */
  problems: string[];
}

export function parseServersFile(text: string, fileName: string): ServersFile {
  const { servers, problems } = parseServerList(text);
  return {
    servers: servers.map((server) => ({ id: serverId(server.input), ...server })),
    problems: problems.map(({ line, message }) => `${fileName}:${line}: ${message}`),
  };
}

/** A line's server id: the same for the same target, so history and alerts follow it across restarts. */
export function serverId(input: string): string {
  return `srv-${createHash('sha256').update(input).digest('hex').slice(0, 12)}`;
}
