// socktop client: plain-text requests, strictly one in flight, metrics every 1 s, disks every 5 s and
// processes every 2 s only while asked for. Reads both the documented agent and the real ones.

import type { ProtocolClient } from '../client';
import { PROTOCOLS } from '../protocols';
import { REQUEST_TEXT } from './requests';
import { SOCKTOP_TIMINGS, SocktopSession, type SocktopTimings } from './session';
import { decodeMetrics, replyJson } from './wire';

export function createSocktopClient(timings: SocktopTimings = SOCKTOP_TIMINGS): ProtocolClient {
  return {
    id: 'socktop',
    capabilities: PROTOCOLS.socktop.capabilities,
    probe: REQUEST_TEXT.metrics,
    // Metrics are asked for every second and each request gets one reply.
    silenceLimitMs: 20_000,

    fingerprint(data) {
      return decodeMetrics(replyJson(data), 0) ? 'answered get_metrics with cpu_total and cpu_per_core' : null;
    },

    classifyClose({ openForMs, framesReceived }) {
      // One real agent version upgrades a wrong or missing token and closes at once instead of answering 401.
      if (framesReceived > 0 || openForMs >= timings.authCloseWindowMs) return null;
      return { kind: 'auth', reason: 'The server closed the connection at once; the token is probably wrong or missing.' };
    },

    open(context) {
      return new SocktopSession(context, timings);
    },
  };
}

export const socktopClient = createSocktopClient();
