// What "Add server" offers after a detection that found nothing: which credential fields, and whether to
// add the server anyway and keep looking. Pure; the view only renders the advice.

import { CREDENTIALED_IDS, credentialsFor, type CredentialInfo } from '../../proto/protocols';
import type { ServerDetection } from '../../fleet/detect-server';

/**
 * `silent`: every port timed out or spoke something else, so the server may just not be started yet.
 * `silent-or-refused`: a port could not be opened, which in a browser is either nothing listening or a
 * refused upgrade that wants a credential (browsers hide the 401), so both offers hold and each says so.
 */
export type KeepLooking = 'silent' | 'silent-or-refused';

export interface DetectionAdvice {
  /** The credentials to ask for, one field each, as the protocols that may want them describe them. */
  credentials: CredentialInfo[];
  keepLooking?: KeepLooking;
}

export function detectionAdvice(result: ServerDetection): DetectionAdvice {
  const wanted = new Set(result.needsCredentials.flatMap((need) => need.protocols));
  const credentials = credentialsFor(CREDENTIALED_IDS.filter((id) => wanted.has(id)));
  // A port known to refuse a credential (auth-required) is not fixed by waiting, so nothing is offered then.
  const nothingAnswered = result.found.length === 0 && result.attempts.every((attempt) => attempt.outcome === 'unreachable' || attempt.outcome === 'unrecognized');
  if (!nothingAnswered) return { credentials };
  return { credentials, keepLooking: credentials.length > 0 ? 'silent-or-refused' : 'silent' };
}
