// Detection that waits for a server to appear: runs detect() on one target round after round, backing off as
// a Connection does, until something answers. Reports each step as a ConnectionState and never throws; it
// holds only the round in flight, whose sockets detect() closes within its own timeout.

import type { SourceClient } from './clients';
import type { HttpGet } from './http-source';
import { backoffDelayMs, type BackoffPolicy, type ConnectionState } from './connection';
import { CREDENTIAL_HINT, detect, type Attempt, type Detection, type DetectionReport, type DetectTimings } from './detect';
import { capitalize, joinWithAnd, listPorts } from './format';
import { PROTOCOLS, type ProtocolId } from './protocols';
import { describeTarget, parseTarget, type Target } from './target';
import type { WebSocketConstructor } from './transport';

export interface DetectUntilFoundOptions {
  WebSocket: WebSocketConstructor;
  httpGet?: HttpGet;
  /** `detecting` while it looks; `auth-required` or `failed` when it gives up; `stopped` after stop(). */
  onState(state: ConnectionState): void;
  /** Called once, with everything the successful round found; no state follows it. */
  onFound(found: Detection[]): void;
  backoff?: BackoffPolicy;
  random?: () => number;
  timings?: DetectTimings;
  /** Clients to try; defaults to the registry. */
  clients?: Partial<Record<ProtocolId, SourceClient>>;
}

export interface DetectionRun {
  /** Ends the search: no round starts after this, and the result of one in flight is ignored. */
  stop(): void;
  /** True once it found something, gave up, or was stopped. */
  readonly ended: boolean;
}

/** Starts looking at once; the first `detecting` state is reported before this returns. */
export function detectUntilFound(input: string | Target, options: DetectUntilFoundOptions): DetectionRun {
  let ended = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  const end = (state?: ConnectionState): void => {
    ended = true;
    clearTimeout(retryTimer);
    if (state) options.onState(state);
  };
  const run: DetectionRun = {
    stop: () => {
      if (!ended) end({ status: 'stopped' });
    },
    get ended() {
      return ended;
    },
  };

  let target: Target;
  try {
    target = typeof input === 'string' ? parseTarget(input) : input;
  } catch (error) {
    end({ status: 'failed', reason: (error as Error).message });
    return run;
  }

  const round = async (lastMiss: string | undefined): Promise<void> => {
    attempt += 1;
    options.onState({ status: 'detecting', attempt, detail: lastMiss ? `${lastMiss}; trying again now.` : `Looking for a server at ${describeTarget(target)}…` });
    let report: DetectionReport | undefined;
    let problem: string | undefined;
    try {
      report = await detect(target, {
        WebSocket: options.WebSocket,
        ...(options.httpGet ? { httpGet: options.httpGet } : {}),
        ...(options.timings ? { timings: options.timings } : {}),
        ...(options.clients ? { clients: options.clients } : {}),
      });
    } catch (error) {
      problem = `Detection failed: ${(error as Error).message}`;
    }
    if (ended) return;
    if (report && report.found.length > 0) {
      options.onState({ status: 'detecting', attempt, detail: `Found ${describeFound(report.attempts)}.` });
      end();
      options.onFound(report.found);
      return;
    }
    // A refused credential will not change by waiting: the user has to give the right one.
    const refused = report?.attempts.find((candidate) => candidate.outcome === 'auth-required');
    if (refused) return end({ status: 'auth-required', reason: refused.detail });
    const miss = problem ?? describeMiss(report?.attempts ?? []);
    const retryInMs = backoffDelayMs(attempt, options.backoff, options.random);
    options.onState({ status: 'detecting', attempt, detail: `${miss}; trying again in ${Math.ceil(retryInMs / 1000)} s.${credentialHint(report?.attempts ?? [])}` });
    retryTimer = setTimeout(() => void round(miss), retryInMs);
  };
  void round(undefined);
  return run;
}

/** What a round that found nothing saw, e.g. "Nothing answered on ports 33931, 8082 and 3000". */
function describeMiss(attempts: readonly Attempt[]): string {
  const silent = attempts.filter((attempt) => attempt.outcome !== 'unrecognized').map((attempt) => attempt.port);
  const strangers = attempts.filter((attempt) => attempt.outcome === 'unrecognized').map((attempt) => attempt.port);
  const parts = [
    silent.length > 0 ? `Nothing answered on ${listPorts(silent)}` : '',
    strangers.length > 0 ? `${silent.length > 0 ? listPorts(strangers) : capitalize(listPorts(strangers))} answered in no protocol FleetWatch knows` : '',
  ];
  return parts.filter(Boolean).join('; ') || 'Nothing to try';
}

function describeFound(attempts: readonly Attempt[]): string {
  return joinWithAnd(attempts.flatMap((attempt) => (attempt.outcome === 'detected' && attempt.protocol ? [`${PROTOCOLS[attempt.protocol].label} on port ${attempt.port}`] : [])));
}

/** Browsers hide the HTTP status of a refused upgrade, so a server that wants a credential looks silent there. */
function credentialHint(attempts: readonly Attempt[]): string {
  return attempts.some((attempt) => attempt.detail.endsWith(CREDENTIAL_HINT)) ? CREDENTIAL_HINT : '';
}
