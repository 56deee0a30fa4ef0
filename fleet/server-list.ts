// A list of servers as text, the format of the hub's --servers file and of the page's "Add many": one
// target per line, exactly what the add-server dialog accepts (a host, host:port, a URL,
// sysmedic://secret@host:port/), optionally followed by a display name and tags, each a word led by +
// (`10.0.0.7 gpu-box-7 +gpu +rack-3`). Blank lines and comments (# at the start of a line, or after a
// space) are skipped. A bad line is reported with its number and why; every
// other line still counts. Pure.

import { MAX_SERVERS } from './server-entry';
import { parseTarget, TargetError, withoutCredentials } from '../proto/target';
import { tagsSchema, uniqueTags } from './tags';

export interface ListedServer {
  line: number;
  input: string;
  name?: string;
  tags?: string[];
}

export interface ListProblem {
  line: number;
  message: string;
}

export function parseServerList(text: string): { servers: ListedServer[]; problems: ListProblem[] } {
  const servers: ListedServer[] = [];
  const problems: ListProblem[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.replace(/(^|\s)#.*$/, '').trim();
    if (content === '') return;
    const [input = '', ...words] = content.split(/\s+/);
    const nameWords = words.filter((word) => !word.startsWith('+'));
    const tags = tagsSchema.safeParse(uniqueTags(words.filter((word) => word.startsWith('+')).map((word) => word.slice(1))));
    if (!tags.success) {
      problems.push({ line, message: `${tags.error.issues[0]?.message ?? 'bad tags'} (tags are words led by +).` });
      return;
    }
    try {
      parseTarget(input);
    } catch (error) {
      if (!(error instanceof TargetError)) throw error;
      problems.push({ line, message: error.message });
      return;
    }
    const first = seen.get(input);
    if (first !== undefined) {
      problems.push({ line, message: `${withoutCredentials(input)} is already on line ${first}; each server is listed once.` });
      return;
    }
    if (servers.length >= MAX_SERVERS) {
      problems.push({ line, message: `more than ${MAX_SERVERS} servers; this line and the ones after it are not watched.` });
      return;
    }
    seen.set(input, line);
    const name = nameWords.join(' ');
    servers.push({ line, input, ...(name ? { name } : {}), ...(tags.data.length > 0 ? { tags: tags.data } : {}) });
  });
  return { servers, problems };
}
