// socktop requests: the real text frames (`get_metrics`, `get_process_metrics:<pid>`, ...) and the
// documented JSON form (`{"type":"metrics"}`). Pure parsing; anything else is not a request.

import { z } from 'zod';
import { parseJson } from '../units';

export type SocktopRequest =
  | { kind: 'metrics' }
  | { kind: 'disks' }
  | { kind: 'processes' }
  /** `pid` is null when the argument is not a positive integer; the reply is then an error. */
  | { kind: 'process-metrics'; pid: number | null }
  | { kind: 'journal-entries'; pid: number | null };

export type RequestKind = SocktopRequest['kind'];

/** The text frame for each request without an argument, as real clients send it. */
export const REQUEST_TEXT = {
  metrics: 'get_metrics',
  disks: 'get_disks',
  processes: 'get_processes',
} as const;

const PROCESS_METRICS_PREFIX = 'get_process_metrics:';
const JOURNAL_ENTRIES_PREFIX = 'get_journal_entries:';

/** Real clients hold pids as u32. */
const MAX_PID = 4_294_967_295;

/** Request names as error replies and logs spell them. */
export const REQUEST_NAME: Record<RequestKind, string> = {
  metrics: 'get_metrics',
  disks: 'get_disks',
  processes: 'get_processes',
  'process-metrics': 'get_process_metrics',
  'journal-entries': 'get_journal_entries',
};

const documentedRequest = z.object({ type: z.enum(['metrics', 'disks', 'processes']) });

/** Reads one text frame; null for anything that is not a request (the real agent ignores those). */
export function parseRequest(text: string): SocktopRequest | null {
  const trimmed = text.trim();
  if (trimmed === REQUEST_TEXT.metrics) return { kind: 'metrics' };
  if (trimmed === REQUEST_TEXT.disks) return { kind: 'disks' };
  if (trimmed === REQUEST_TEXT.processes) return { kind: 'processes' };
  if (trimmed.startsWith(PROCESS_METRICS_PREFIX)) return { kind: 'process-metrics', pid: parsePid(trimmed.slice(PROCESS_METRICS_PREFIX.length)) };
  if (trimmed.startsWith(JOURNAL_ENTRIES_PREFIX)) return { kind: 'journal-entries', pid: parsePid(trimmed.slice(JOURNAL_ENTRIES_PREFIX.length)) };
  if (!trimmed.startsWith('{')) return null;
  const documented = documentedRequest.safeParse(parseJson(trimmed));
  return documented.success ? { kind: documented.data.type } : null;
}

export function requestText(request: SocktopRequest): string {
  switch (request.kind) {
    case 'process-metrics':
      return `${PROCESS_METRICS_PREFIX}${request.pid ?? ''}`;
    case 'journal-entries':
      return `${JOURNAL_ENTRIES_PREFIX}${request.pid ?? ''}`;
    default:
      return REQUEST_TEXT[request.kind];
  }
}

function parsePid(text: string): number | null {
  if (!/^[0-9]{1,10}$/.test(text)) return null;
  const pid = Number(text);
  return pid > 0 && pid <= MAX_PID ? pid : null;
}
