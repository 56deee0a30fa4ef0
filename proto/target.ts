// Parses what a user types to name a server into a target: ws://, wss://, http(s):// (a polled HTTP
// source's, or mapped to ws(s):// for the WebSocket protocols), http://user:password@host (basic auth for
// the HTTP sources), sysmedic://secret@host:port/, host, host:port, [v6]:port, with ?token= or ?secret=
// and a source's own parameters (a Prometheus `?job=`). Anything else gets an error that says what was expected.

import { PROTOCOL_IDS, PROTOCOLS, type ProtocolId } from './protocols';

export class TargetError extends Error {}

export interface Target {
  /** What the user typed, trimmed. */
  input: string;
  /** Host name or address; IPv6 without brackets. */
  host: string;
  /** Absent when only a host was given: detection then tries every default port. */
  port?: number;
  secure: boolean;
  /** Path the user gave, if any. */
  path?: string;
  token?: string;
  secret?: string;
  /** HTTP basic auth from http(s)://user:password@host, for the polled sources only. */
  basicAuth?: { username: string; password: string };
  /** Query parameters other than the credentials, kept for the sources that read them (`job=node`). */
  params?: string;
  /** Set when the scheme names the protocol (sysmedic://). */
  protocol?: ProtocolId;
}

/** The web's schemes, then each protocol's own (sysmedic://), which carries its credential before the host. */
const SCHEMES: Record<string, { secure: boolean; protocol?: ProtocolId }> = {
  'ws:': { secure: false },
  'wss:': { secure: true },
  'http:': { secure: false },
  'https:': { secure: true },
  ...Object.fromEntries(PROTOCOL_IDS.flatMap((id) => (PROTOCOLS[id].scheme ? [[PROTOCOLS[id].scheme, { secure: false, protocol: id }]] : []))),
};
const SCHEME_LIST = Object.keys(SCHEMES).map((scheme) => `${scheme}//`);

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?$/i;
const IPV6 = /^[0-9a-f:.]+$/i;

/** A target or URL as it may be shown or logged: every token, secret and user-info password masked. */
export function withoutCredentials(input: string): string {
  return input
    .replace(/([?&](?:token|secret)=)[^&#]*/gi, '$1•••')
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1•••@')
    .replace(/\?$/, '');
}

export function parseTarget(raw: string): Target {
  const input = raw.trim();
  if (input === '') throw new TargetError('Enter a server: a host name, host:port, or a ws://, wss://, http(s):// or sysmedic:// URL.');
  if (/\s/.test(input)) throw new TargetError(`"${withoutCredentials(input)}" contains spaces; a server address cannot.`);

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(input);
  if (schemeMatch) return parseUrl(input, schemeMatch[1]!.toLowerCase() + ':');
  if (/^[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*$/i.test(input)) {
    throw new TargetError(`"${input}" looks like an IPv6 address; put it in brackets: [${input}] or [${input}]:port.`);
  }
  return parseUrl(`ws://${input}`, 'ws:', input);
}

function parseUrl(url: string, scheme: string, shownAs = url): Target {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url)?.[1] ?? '';
  if (authority.startsWith('[') && !authority.includes(']')) {
    throw new TargetError(`"${withoutCredentials(shownAs)}" opens an IPv6 address with "[" but never closes it: write [address] or [address]:port, e.g. [::1]:3000.`);
  }
  const known = SCHEMES[scheme];
  if (!known) {
    throw new TargetError(`"${scheme.slice(0, -1)}://" is not a monitoring URL; use ${SCHEME_LIST.slice(0, -1).join(', ')} or ${SCHEME_LIST.at(-1)}.`);
  }
  const explicitPort = explicitPortOf(url);
  const port = explicitPort === undefined ? undefined : Number(explicitPort);
  if (port !== undefined && (!/^\d{1,5}$/.test(explicitPort!) || port < 1 || port > 65535)) {
    throw new TargetError(`Port "${explicitPort}" must be a number from 1 to 65535.`);
  }
  let parsed: URL;
  try {
    // WHATWG URL parses the authority of special schemes only, so a protocol's own scheme is read as http's.
    parsed = new URL(known.protocol ? `http:${url.slice(scheme.length)}` : url);
  } catch {
    throw new TargetError(`"${withoutCredentials(shownAs)}" is not a valid address. Expected host, host:port, [IPv6]:port or a URL.`);
  }

  const bracketed = parsed.hostname.startsWith('[');
  const host = bracketed ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (!host) throw new TargetError(`"${withoutCredentials(shownAs)}" has no host.`);
  if (bracketed ? !IPV6.test(host) : !HOSTNAME.test(host)) throw new TargetError(`"${host}" is not a valid host name or address.`);

  const target: Target = { input: shownAs, host, secure: known.secure };
  if (port !== undefined) target.port = port;
  if (parsed.pathname && parsed.pathname !== '/') target.path = parsed.pathname;

  const params = queryParams(parsed.search);
  const token = params.get('token');
  const secretParam = params.get('secret');
  if (token) target.token = token;
  if (secretParam) target.secret = secretParam;
  params.delete('token');
  params.delete('secret');
  if (params.toString()) target.params = params.toString();

  if (known.protocol) {
    const { credential, defaultPort } = PROTOCOLS[known.protocol];
    const kind = credential?.kind ?? 'secret';
    target.protocol = known.protocol;
    // A credential may hold a colon, which URL splits off as a password.
    const userinfo = parsed.password ? `${parsed.username}:${parsed.password}` : parsed.username;
    if (userinfo) target[kind] = decodeUserinfo(userinfo, scheme, kind);
    if (!target[kind]) throw new TargetError(`A ${scheme}// URL carries its ${kind} before the host: ${scheme}//<${kind}>@host:port/.`);
    target.port ??= defaultPort;
  } else if ((parsed.username || parsed.password) && (scheme === 'http:' || scheme === 'https:')) {
    target.basicAuth = { username: decodeUserinfo(parsed.username, scheme, 'user name'), password: decodeUserinfo(parsed.password, scheme, 'password') };
  } else if (parsed.username || parsed.password) {
    throw new TargetError(`Credentials before the host are only understood in http(s):// URLs (basic auth) and ${SCHEME_LIST.slice(4).join(' and ')} URLs; pass a token as ?token=.`);
  }
  return target;
}

function decodeUserinfo(text: string, scheme: string, kind: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new TargetError(`The ${kind} in this ${scheme}// URL has a broken %-escape; write a literal % as %25.`);
  }
}

/** The port exactly as written: URL drops a port equal to the scheme's default (80, 443). */
function explicitPortOf(url: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(url);
  const port = authority?.[2];
  return port === undefined || port === '' ? undefined : port;
}

/** Host as it appears in a URL: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The WebSocket URL for a port of a target, carrying the credentials the user gave. With `protocol`, only
 * the credential that protocol reads: a SysMedic secret is not handed to the host's other services.
 */
export function targetUrl(target: Target, port: number, options: { secure?: boolean; defaultPath?: string; protocol?: ProtocolId } = {}): string {
  const secure = options.secure ?? target.secure;
  const path = target.path ?? options.defaultPath ?? '/ws';
  const wanted = (name: 'token' | 'secret'): boolean => options.protocol === undefined || PROTOCOLS[options.protocol].credential?.kind === name;
  const query = new URLSearchParams();
  if (target.token && wanted('token')) query.set('token', target.token);
  if (target.secret && wanted('secret')) query.set('secret', target.secret);
  const search = query.toString();
  return `${secure ? 'wss' : 'ws'}://${urlHost(target.host)}:${port}${path}${search ? `?${search}` : ''}`;
}

/**
 * The HTTP URL a polled source is read at: basic auth before the host, a token as `?token=` (the hub sends it
 * as a bearer token), and the source's own parameters. With `owned`, the token stays off: it was given for
 * the WebSocket protocol whose default port a bare host is tried on.
 */
export function pollUrl(target: Target, port: number, options: { secure?: boolean; defaultPath: string; owned?: boolean }): string {
  const secure = options.secure ?? target.secure;
  const userinfo = target.basicAuth ? `${encodeURIComponent(target.basicAuth.username)}:${encodeURIComponent(target.basicAuth.password)}@` : '';
  const query = new URLSearchParams(target.params ?? '');
  if (target.token && !options.owned) query.set('token', target.token);
  // URLSearchParams writes a space as `+`, which the poll would read back as a plus.
  const search = query.toString().replace(/\+/g, '%20');
  return `${secure ? 'https' : 'http'}://${userinfo}${urlHost(target.host)}:${port}${target.path ?? options.defaultPath}${search ? `?${search}` : ''}`;
}

/** A URL's query, with `+` read as a plus rather than a space: tokens are often base64, and filters regexes (`job=node.+`). */
export function queryParams(search: string): URLSearchParams {
  return new URLSearchParams(search.replace(/^\?/, '').replace(/\+/g, '%2B'));
}

/** A display form without credentials: `host:port` or the host alone. */
export function describeTarget(target: Target): string {
  return target.port === undefined ? target.host : `${urlHost(target.host)}:${target.port}`;
}
