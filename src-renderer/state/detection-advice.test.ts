import { describe, expect, it } from 'vitest';
import type { Attempt } from '../../proto/detect';
import { PROTOCOLS } from '../../proto/protocols';
import { parseTarget } from '../../proto/target';
import type { CredentialNeed, ServerDetection } from '../../fleet/detect-server';
import { detectionAdvice } from './detection-advice';

const PORT = 41_919;

function detection(attempts: Attempt[], needsCredentials: CredentialNeed[] = []): ServerDetection {
  return { target: parseTarget(`127.0.0.1:${PORT}`), found: [], attempts, needsCredentials };
}

const attempt = (outcome: Attempt['outcome'], detail: string): Attempt => ({ port: PORT, url: `ws://127.0.0.1:${PORT}/ws`, outcome, detail, elapsedMs: 15 });

describe('detectionAdvice', () => {
  it('offers both credentials and keep-looking, each admitting the other, for a port the browser could not open', () => {
    // What a browser reports for a free port with nothing listening: the same as a refused upgrade.
    const closed = detection([attempt('unreachable', 'Could not connect.')], [{ port: PORT, protocols: ['sysmedic', 'socktop'], detail: 'Could not connect.' }]);
    expect(detectionAdvice(closed)).toEqual({ credentials: [PROTOCOLS.sysmedic.credential, PROTOCOLS.socktop.credential], keepLooking: 'silent-or-refused' });
  });

  it('offers only keep-looking when every port timed out or spoke something else', () => {
    const silent = detection([attempt('unreachable', 'No answer within 1500 ms.'), attempt('unrecognized', 'Sent nothing FleetWatch knows.')]);
    expect(detectionAdvice(silent)).toEqual({ credentials: [], keepLooking: 'silent' });
  });

  it('offers only credentials when a port is known to have refused one', () => {
    const refused = detection([attempt('auth-required', 'HTTP 401.')], [{ port: PORT, protocols: ['sysmedic'], detail: 'HTTP 401.' }]);
    expect(detectionAdvice(refused)).toEqual({ credentials: [PROTOCOLS.sysmedic.credential] });
  });
});
