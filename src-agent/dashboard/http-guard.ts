// The checks every dashboard request passes before anything answers it: the Host header must name this
// loopback listener (a DNS-rebinding page sends its own host name), state-changing requests must come from
// this origin, and the API wants the token: `Authorization: Bearer <token>`, or the HttpOnly cookie a page
// gets by opening the address with `?token=`. Pure functions of headers.

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

/** The cookie that carries the token for one dashboard; named by port, since cookies ignore ports. */
export function tokenCookieName(port: number): string {
  return `fleetwatch-token-${port}`;
}

/** `Set-Cookie` for a page that presented the right token: scripts cannot read it, other sites never send it. */
export function tokenCookie(port: number, token: string): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function cookieValue(header: string | undefined, name: string): string | null {
  for (const pair of (header ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1).trim();
  }
  return null;
}

export function checkToken(headers: IncomingHttpHeaders, token: string, port: number): Refusal | null {
  const given = bearerToken(headers.authorization) ?? cookieValue(headers.cookie, tokenCookieName(port));
  if (secretsMatch(given, token)) return null;
  return {
    status: 401,
    error: given !== null ? 'The token is wrong.' : 'This dashboard needs its token: open the address the agent printed (it ends in ?token=…), or send Authorization: Bearer <token>.',
  };
}
