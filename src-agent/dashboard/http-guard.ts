// The checks every dashboard request passes before anything answers it: the Host header must name this
// loopback listener (a DNS-rebinding page sends its own host name), state-changing requests must come from
// this origin, and with --token the API wants `Authorization: Bearer <token>`. Pure functions of headers.

import type { IncomingHttpHeaders } from 'node:http';
import { bearerToken, secretsMatch } from '../net/secret-match';

export interface Refusal {
  status: number;
  error: string;
}

/** The Host values that name this listener. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

export function checkHost(headers: IncomingHttpHeaders, port: number): Refusal | null {
  const host = headers.host?.toLowerCase();
  if (host && allowedHosts(port).has(host)) return null;
  return { status: 421, error: `This dashboard answers only as 127.0.0.1:${port}, localhost:${port} or [::1]:${port}.` };
}

/** Browsers send Origin on every POST; a missing or foreign one is another site driving this one. */
export function checkOrigin(headers: IncomingHttpHeaders, port: number): Refusal | null {
  const origin = headers.origin?.toLowerCase();
  if (origin && origin.startsWith('http://') && allowedHosts(port).has(origin.slice('http://'.length))) return null;
  return { status: 403, error: 'Cross-origin requests are refused: send this request from the dashboard page itself.' };
}

export function checkBearer(headers: IncomingHttpHeaders, token: string | undefined): Refusal | null {
  if (token === undefined) return null;
  const given = bearerToken(headers.authorization);
  if (secretsMatch(given, token)) return null;
  return { status: 401, error: given !== null ? 'The token is wrong.' : "This agent was started with --token: send it as Authorization: Bearer <token> (open the dashboard with ?token=<token>)." };
}
