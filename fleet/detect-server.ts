// "Add server" detection: runs proto's detector on what the user typed, then again on each port that
// refused or failed before opening, with the secret or token the user gave. Browsers hide
// the HTTP status of a refused upgrade, so a port that could not be opened may be one that wants a credential.

import type { HttpGet } from '../proto/http-source';
import type { WebSocketConstructor } from '../proto/transport';
import { detect, type Attempt, type Detection, type DetectTimings } from '../proto/detect';
import { CREDENTIALED_IDS, credentialsFor, portsOf, type ProtocolId } from '../proto/protocols';
import { parseTarget, type Target } from '../proto/target';

export interface Credentials {
  secret?: string;
  token?: string;
}

export interface CredentialNeed {
  port: number;
  /** Which credential the port probably wants; both when nothing says which. */
  protocols: ProtocolId[];
  detail: string;
}

export interface ServerDetection {
  target: Target;
  found: Detection[];
  attempts: Attempt[];
  needsCredentials: CredentialNeed[];
}

export interface DetectServerOptions {
  WebSocket: WebSocketConstructor;
  httpGet?: HttpGet;
  timings?: DetectTimings;
  onProgress?(attempts: readonly Attempt[]): void;
}

/** Throws TargetError (with a message for the user) when the input is not a server address. */
export async function detectServer(input: string, credentials: Credentials, options: DetectServerOptions): Promise<ServerDetection> {
  const target = parseTarget(input);
  let attempts: Attempt[] = [];
  const report = (): void => options.onProgress?.(attempts.map((attempt) => ({ ...attempt })));
  const first = await detect(target, {
    WebSocket: options.WebSocket,
    ...(options.httpGet ? { httpGet: options.httpGet } : {}),
    ...(options.timings ? { timings: options.timings } : {}),
    onProgress: (progress) => {
      attempts = [...progress];
      report();
    },
  });
  attempts = first.attempts;
  const found = [...first.found];

  const retries = attempts.filter(failedBeforeOpen).flatMap((attempt) => retriesFor(target, attempt, credentials));
  for (const retry of retries) {
    const result = await detect(retry, { WebSocket: options.WebSocket, ...(options.timings ? { timings: options.timings } : {}) });
    const retried = result.attempts[0];
    if (!retried) continue;
    const index = attempts.findIndex((attempt) => attempt.port === retried.port);
    // A retry with the wrong kind of credential must not hide what the other credential found.
    if (index >= 0 && attempts[index]!.outcome !== 'detected') attempts[index] = retried;
    for (const detection of result.found) if (!found.some((known) => known.endpoint.url === detection.endpoint.url)) found.push(detection);
    report();
  }

  const needsCredentials = attempts
    .filter(failedBeforeOpen)
    .map((attempt) => ({ port: attempt.port, protocols: likelyCredential(attempt, target), detail: attempt.detail }))
    .filter((need) => need.protocols.length > 0);
  return { target, found, attempts, needsCredentials };
}

/**
 * Failures Node names (a browser never does): nothing listens on the port, or the name does not resolve.
 * No credential changes those, so they ask for none.
 */
const NOT_ABOUT_CREDENTIALS = /\(connection refused\)|no such host/;

function failedBeforeOpen(attempt: Attempt): boolean {
  if (attempt.outcome === 'auth-required') return true;
  return attempt.outcome === 'unreachable' && !attempt.detail.startsWith('No answer within') && !NOT_ABOUT_CREDENTIALS.test(attempt.detail);
}

/** The credentialed protocols a port that failed before opening probably belongs to. */
function likelyCredential(attempt: Attempt, target: Target): ProtocolId[] {
  for (const named of [attempt.protocol, target.protocol]) if (named && CREDENTIALED_IDS.includes(named)) return [named];
  const owners = CREDENTIALED_IDS.filter((id) => portsOf(id, false).some((each) => each.port === attempt.port));
  if (owners.length > 0) return owners;
  // A bare host tries every default port; other ports there are no credentialed protocol's.
  return target.port === undefined ? [] : [...CREDENTIALED_IDS];
}

function retriesFor(target: Target, attempt: Attempt, credentials: Credentials): Target[] {
  const wants = likelyCredential(attempt, target);
  const base: Target = { input: target.input, host: target.host, port: attempt.port, secure: attempt.url.startsWith('wss:'), ...(target.path ? { path: target.path } : {}) };
  const retries: Target[] = [];
  for (const { kind } of credentialsFor(wants)) {
    const value = credentials[kind];
    if (value) retries.push({ ...base, [kind]: value });
  }
  return retries;
}
