// The hub's --servers file: one target per line, exactly what the add-server dialog accepts (a host,
// host:port, a URL, sysmedic://secret@host:port/), optionally followed by a display name. Blank lines and
// comments (# at the start of a line, or after a space) are skipped. A bad line is reported with its number
// and why; every other line still loads.

import { createHash } from 'node:crypto';
import { MAX_SERVERS } from '../../fleet/server-entry';
import { parseTarget, TargetError, withoutCredentials } from '../../proto/target';


export interface ServerLine {
  /** Stable across restarts and edits elsewhere in the file, so a server keeps its history. */
  id: string;
  line: number;
  input: string;
  name?: string;
}

export interface ServersFile {
  servers: ServerLine[];
  /** One per bad line, e.g. `servers.txt:12: "ftp://x" is not a monitoring URL; …`. */
  problems: string[];
}

export function parseServersFile(text: string, fileName: string): ServersFile {
  const servers: ServerLine[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const [input = '', ...nameWords] = content.split(/\s+/);
    const problem = (message: string): void => void problems.push(`${fileName}:${line}: ${message}`);
    try {
      parseTarget(input);
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      problem(error.message);
      return;
    }
    const first = seen.get(input);
    if (first !== undefined) {
      problem(`${withoutCredentials(input)} is already on line ${first}; each server is listed once.`);
      return;
    }
    if (servers.length >= MAX_SERVERS) {
      problem(`more than ${MAX_SERVERS} servers; this line and the ones after it are not watched.`);
      return;
    }
    seen.set(input, line);
    const name = nameWords.join(' ');
    servers.push({ id: serverId(input), line, input, ...(name ? { name } : {}) });
  });
  return { servers, problems };
}

/** A line's server id: the same for the same target, so history and alerts follow it across restarts. */
export function serverId(input: string): string {
  return `srv-${createHash('sha256').update(input).digest('hex').slice(0, 12)}`;
}
