// The reply to each socktop request, keyed by request kind. Reads only the sampler; a reply is always
// produced, an error reply when the data cannot be had, so every request gets exactly one frame.

import { encodeError, encodeJournal, encodeProcessMetrics } from '../../../proto/socktop/details';
import { encodeProcesses } from '../../../proto/socktop/processes';
import type { RequestKind, SocktopRequest } from '../../../proto/socktop/requests';
import { encodeDisks, encodeMetrics } from '../../../proto/socktop/wire';
import type { Logger } from '../../log';
import { JournalError } from '../../sampler/journal';
import { ProcessDetailsError } from '../../sampler/process-details';
import type { Sampler } from '../../sampler/sampler';

/** Text frames carry JSON; binary frames carry the protobuf process list. */
export type Reply = string | Uint8Array;

type Handler<K extends RequestKind> = (request: Extract<SocktopRequest, { kind: K }>, sampler: Sampler) => Promise<Reply>;

const INVALID_PID = 'the pid must be a positive integer';
const UNSUPPORTED = 'this agent cannot read single processes';

const HANDLERS: { [K in RequestKind]: Handler<K> } = {
  metrics: async (_request, sampler) => JSON.stringify(encodeMetrics(await sampler.snapshot({ gpus: true }))),
  disks: async (_request, sampler) => JSON.stringify(encodeDisks((await sampler.snapshot({ disks: true })).sample.disks ?? [])),
  processes: async (_request, sampler) => {
    const { sample } = await sampler.snapshot({ processes: true });
    return encodeProcesses(sample.processes ?? [], sample.processCount);
  },
  'process-metrics': async ({ pid }, sampler) => {
    if (pid === null) return JSON.stringify(encodeError('process-metrics', INVALID_PID, null));
    if (!sampler.processDetails) return JSON.stringify(encodeError('process-metrics', UNSUPPORTED, pid));
    return JSON.stringify(encodeProcessMetrics(await sampler.processDetails(pid)));
  },
  'journal-entries': async ({ pid }, sampler) => {
    if (pid === null) return JSON.stringify(encodeError('journal-entries', INVALID_PID, null));
    if (!sampler.journal) return JSON.stringify(encodeError('journal-entries', UNSUPPORTED, pid));
    const reading = await sampler.journal(pid);
    return JSON.stringify(encodeJournal(reading.entries, reading.truncated, Date.now()));
  },
};

/** Never rejects. */
export async function replyTo(request: SocktopRequest, sampler: Sampler, log: Logger): Promise<Reply> {
  try {
    const handler = HANDLERS[request.kind] as Handler<RequestKind>;
    return await handler(request, sampler);
  } catch (error) {
    const expected = error instanceof ProcessDetailsError || error instanceof JournalError;
    const message = (error as Error).message;
    if (!expected) log.warn(`${request.kind}: ${message}`);
    const pid = 'pid' in request ? request.pid : undefined;
    return JSON.stringify(encodeError(request.kind, expected ? message : `could not read the data: ${message}`, pid));
  }
}
