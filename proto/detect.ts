// Auto-detection: which source a server is. One socket per candidate port for the WebSocket protocols:
// listen first (SysMedic, vStats and ServerControl speak unprompted), then send the probes in the catalog's
// order, `subscribe:usage` always first because a GPU reference server closes on any other first message.
// The polled HTTP sources are told by their answers to a few GETs (proto/detect-http.ts): on their own
// default ports for a bare host, beside the socket on a port the user named.

import type { CloseInfo, Endpoint, ProtocolClient } from './client';
import { CLIENTS, isPollClient, type SourceClient } from './clients';
import { probeHttp, type HttpProbeResult } from './detect-http';
import type { HttpGet, PollClient } from './http-source';
import { CREDENTIALED_IDS, PROTOCOL_IDS, PROTOCOLS, portsOf, type ProtocolId } from './protocols';
import { closeCodeWords, networkErrorWords } from './network-words';
import { parseTarget, pollUrl, targetUrl, withoutCredentials, type Target } from './target';
import { closeQuietly, frameData, type WebSocketConstructor, type WebSocketLike } from './transport';

export interface DetectTimings {
  /** Listen this long before probing: servers that speak first do so at once. */
  listenMs: number;
  /** Give up on a port after this long. */
  timeoutMs: number;
}

export const DEFAULT_DETECT_TIMINGS: DetectTimings = { listenMs: 120, timeoutMs: 1500 };

export type AttemptOutcome = 'detected' | 'auth-required' | 'unreachable' | 'unrecognized';

export interface Attempt {
  port: number;
  /** The URL tried, credentials redacted. */
  url: string;
  outcome: AttemptOutcome | 'pending';
  /** Which fingerprint matched, or why nothing did. */
  detail: string;
  elapsedMs: number;
  protocol?: ProtocolId;
}

export interface Detection {
  protocol: ProtocolId;
  endpoint: Endpoint;
  /** The fingerprint that matched, e.g. "sent usage_update with cpu_percent". */
  evidence: string;
  elapsedMs: number;
}

export interface DetectionReport {
  target: Target;
  found: Detection[];
  attempts: Attempt[];
}

export interface DetectOptions {
  WebSocket: WebSocketConstructor;
  /** How the polled HTTP sources are asked; without it (a page, which cannot read them) they are not tried. */
  httpGet?: HttpGet;
  timings?: DetectTimings;
  onProgress?(attempts: readonly Attempt[]): void;
  /** Clients to try; defaults to the registry. */
  clients?: Partial<Record<ProtocolId, SourceClient>>;
  now?: () => number;
}

interface Candidate {
  port: number;
  secure: boolean;
  /** A WebSocket, HTTP GETs, or both on a port the user named. */
  transport: 'ws' | 'http' | 'both';
  /** Protocols whose default port this is: used to name what a refused upgrade probably wants. */
  likely: ProtocolId[];
  /** Set when trying a bare host's default port: only that protocol's credential is sent there. */
  owner?: ProtocolId;
}

/** The URL a candidate port is tried at, with only its owner's credential on a bare host's default port. */
function probeUrl(target: Target, candidate: Candidate): string {
  if (candidate.transport === 'http') return pollUrl(target, candidate.port, { secure: candidate.secure, defaultPath: '/', owned: candidate.owner !== undefined });
  return targetUrl(target, candidate.port, { secure: candidate.secure, ...(candidate.owner ? { protocol: candidate.owner } : {}) });
}

function candidatesFor(target: Target, httpToo: boolean): Candidate[] {
  if (target.port !== undefined) {
    const known = PROTOCOL_IDS.flatMap((id) => portsOf(id, target.secure).filter((each) => each.port === target.port).map((each) => ({ id, secure: each.secure })));
    const likely = target.protocol ? [target.protocol] : known.map((each) => each.id);
    const transport = httpToo && !target.protocol ? 'both' : 'ws';
    return [{ port: target.port, secure: target.secure || known.some((each) => each.secure), transport, likely }];
  }
  const ids = PROTOCOL_IDS.filter((id) => httpToo || PROTOCOLS[id].transport === 'ws');
  // The default ports in detection order, then the extra ports (a TLS port is tried after every plain one).
  const defaults: Candidate[] = ids.map((id) => ({ port: PROTOCOLS[id].defaultPort, secure: target.secure, transport: PROTOCOLS[id].transport, likely: [id], owner: id }));
  const extras: Candidate[] = ids.flatMap((id) => (PROTOCOLS[id].extraPorts ?? []).map((extra) => ({ ...extra, transport: PROTOCOLS[id].transport, likely: [id], owner: id })));
  const ports = [...defaults, ...extras];
  return target.protocol ? ports.filter((candidate) => candidate.likely.includes(target.protocol!)) : ports;
}

/** Detects what a target speaks. Never throws for network trouble; a bad target string throws TargetError. */
export async function detect(input: string | Target, options: DetectOptions): Promise<DetectionReport> {
  const target = typeof input === 'string' ? parseTarget(input) : input;
  const clients = options.clients ?? CLIENTS;
  const ordered = PROTOCOL_IDS.flatMap((id) => clients[id] ?? []);
  const streams = ordered.filter((client): client is ProtocolClient => !isPollClient(client));
  const polled = ordered.filter(isPollClient);
  const candidates = candidatesFor(target, options.httpGet !== undefined && polled.length > 0);
  const attempts: Attempt[] = candidates.map((candidate) => ({
    port: candidate.port,
    url: withoutCredentials(probeUrl(target, candidate)),
    outcome: 'pending',
    detail: 'connecting',
    elapsedMs: 0,
  }));
  const report = (): void => options.onProgress?.(attempts.map((attempt) => ({ ...attempt })));
  report();

  const results = await Promise.all(
    candidates.map((candidate, index) =>
      probeCandidate(target, candidate, streams, polled, options).then((result) => {
        attempts[index] = { ...attempts[index]!, ...result.attempt };
        report();
        return result.detection;
      }),
    ),
  );
  return { target, found: results.filter((result): result is Detection => result !== undefined), attempts };
}

interface PortResult {
  attempt: Omit<Attempt, 'port' | 'url'>;
  detection?: Detection;
}

async function probeCandidate(target: Target, candidate: Candidate, streams: ProtocolClient[], polled: PollClient[], options: DetectOptions): Promise<PortResult> {
  if (candidate.transport === 'ws') return probePort(target, candidate, streams, options);
  const owned = polled.filter((client) => candidate.owner === undefined || candidate.owner === client.id);
  const http = probeHttpPort(target, candidate, owned, options);
  if (candidate.transport === 'http') return http;
  const [socket, answers] = await Promise.all([probePort(target, candidate, streams, options), http]);
  if (socket.detection || answers.detection) return socket.detection ? socket : answers;
  // A WebSocket server that opened or refused the upgrade, or no HTTP answer at all: the socket tells the
  // story, and a refusal names the protocol whose credential it wants (SysMedic's port also answers plain
  // GETs). Otherwise an HTTP server that is no WebSocket failed the upgrade, and its answers say more.
  if (socket.attempt.outcome !== 'unreachable' || answers.attempt.outcome === 'unreachable') return socket;
  return answers;
}

async function probeHttpPort(target: Target, candidate: Candidate, clients: PollClient[], options: DetectOptions): Promise<PortResult> {
  const timings = options.timings ?? DEFAULT_DETECT_TIMINGS;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const result: HttpProbeResult = await probeHttp(target, candidate.port, candidate.secure, clients, options.httpGet!, timings.timeoutMs, candidate.owner !== undefined);
  const elapsedMs = now() - startedAt;
  const attempt = { outcome: result.outcome, detail: result.detail, elapsedMs, ...(result.protocol ? { protocol: result.protocol } : {}) };
  if (result.outcome !== 'detected' || !result.protocol || !result.url) return { attempt };
  return { attempt, detection: { protocol: result.protocol, endpoint: { protocol: result.protocol, url: result.url }, evidence: result.detail, elapsedMs } };
}

function probePort(target: Target, candidate: Candidate, clients: ProtocolClient[], options: DetectOptions): Promise<PortResult> {
  const timings = options.timings ?? DEFAULT_DETECT_TIMINGS;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const url = probeUrl(target, candidate);

  return new Promise((resolve) => {
    const elapsed = (): number => now() - startedAt;
    let socket: WebSocketLike;
    try {
      socket = new options.WebSocket(url);
    } catch (error) {
      resolve({ attempt: { outcome: 'unreachable', detail: (error as Error).message, elapsedMs: elapsed() } });
      return;
    }
    let settled = false;
    let openedAt: number | undefined;
    let framesReceived = 0;
    let errorText: string | undefined;
    const timers: ReturnType<typeof setTimeout>[] = [];

    const finish = (result: PortResult): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      closeQuietly(socket);
      resolve(result);
    };

    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      openedAt = now();
      timers.push(
        setTimeout(() => {
          for (const client of clients) if (client.probe !== null) socket.send(client.probe);
        }, timings.listenMs),
      );
    };
    socket.onmessage = (event) => {
      const data = frameData(event.data);
      if (data === null) return;
      framesReceived += 1;
      for (const client of clients) {
        let evidence: string | null = null;
        try {
          evidence = client.fingerprint(data);
        } catch {
          evidence = null;
        }
        if (evidence === null) continue;
        const elapsedMs = elapsed();
        const endpointUrl = targetUrl(target, candidate.port, { secure: candidate.secure, defaultPath: PROTOCOLS[client.id].defaultPath, ...(candidate.owner ? { protocol: client.id } : {}) });
        finish({
          attempt: { outcome: 'detected', detail: evidence, elapsedMs, protocol: client.id },
          detection: { protocol: client.id, endpoint: { protocol: client.id, url: target.path ? url : endpointUrl }, evidence, elapsedMs },
        });
        return;
      }
    };
    socket.onerror = (event) => {
      const withMessage = event as { message?: unknown } | null;
      if (withMessage && typeof withMessage.message === 'string') errorText ??= withMessage.message;
    };
    socket.onclose = (event) => {
      if (openedAt !== undefined) {
        const refused = refusedAfterOpen(candidate, clients, target, { openForMs: now() - openedAt, framesReceived, code: event.code, url });
        finish({ attempt: { ...(refused ?? { outcome: 'unrecognized', detail: `The server closed the connection (${closeCodeWords(event.code)}) without saying anything recognizable.` }), elapsedMs: elapsed() } });
        return;
      }
      finish({ attempt: refusedBeforeOpen(candidate, target, errorText, elapsed()) });
    };
    timers.push(
      setTimeout(() => {
        finish({
          attempt: openedAt !== undefined
            ? { outcome: 'unrecognized', detail: `Connected, but nothing it sent within ${timings.timeoutMs} ms matched a known protocol.`, elapsedMs: elapsed() }
            : { outcome: 'unreachable', detail: `No answer within ${timings.timeoutMs} ms.`, elapsedMs: elapsed() },
        });
      }, timings.timeoutMs),
    );
  });
}

/**
 * A close the port's likely protocol reads as a refused credential: one real socktop upgrades a wrong token
 * and closes at once. On a port no protocol owns, any client may say so.
 */
function refusedAfterOpen(candidate: Candidate, clients: ProtocolClient[], target: Target, info: CloseInfo): Pick<Attempt, 'outcome' | 'detail' | 'protocol'> | undefined {
  const asked = candidate.likely.length > 0 ? clients.filter((client) => candidate.likely.includes(client.id)) : clients;
  for (const client of asked) {
    const verdict = client.classifyClose?.(info);
    if (verdict?.kind !== 'auth') continue;
    return { outcome: 'auth-required', detail: `${credentialVerdict(target, client.id)}: ${verdict.reason}`, protocol: client.id };
  }
  return undefined;
}

/** "It needs a socktop token", or that the ones given were refused. */
function credentialVerdict(target: Target, wants: ProtocolId | undefined): string {
  if (target.secret || target.token || target.basicAuth) return 'The credentials given were refused';
  const credential = wants === undefined ? undefined : PROTOCOLS[wants].credential;
  return `It needs ${credential ? `a ${credential.label}` : 'a token or secret'}`;
}

/** Ends the detail of a port that may be refusing for want of a credential the browser cannot name. */
/** The endpoints a detection found, each once: what a server entry keeps and connects to. */
export function detectedEndpoints(found: readonly Detection[]): Endpoint[] {
  return distinctEndpoints(found.map((detection) => detection.endpoint));
}

export function distinctEndpoints(endpoints: readonly Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return endpoints.filter((endpoint) => !seen.has(endpoint.url) && seen.add(endpoint.url));
}

export const CREDENTIAL_HINT = ` If this is a ${CREDENTIALED_IDS.map((id) => PROTOCOLS[id].label).join(' or ')} server, it may need a secret or token.`;

function refusedBeforeOpen(candidate: Candidate, target: Target, errorText: string | undefined, elapsedMs: number): PortResult['attempt'] {
  const status = errorText ? /\b(401|403)\b/.exec(errorText)?.[1] : undefined;
  if (status) {
    const wants = candidate.likely.length === 1 ? candidate.likely[0] : undefined;
    return { outcome: 'auth-required', detail: `${credentialVerdict(target, wants)} (HTTP ${status}).`, elapsedMs, ...(wants ? { protocol: wants } : {}) };
  }
  // Browsers hide the HTTP status of a refused upgrade, so a 401 looks like any other failure there.
  const mayNeedCredentials = !errorText && !target.secret && !target.token && candidate.likely.some((id) => CREDENTIALED_IDS.includes(id));
  const hint = mayNeedCredentials ? CREDENTIAL_HINT : '';
  return { outcome: 'unreachable', detail: (errorText ? `Could not connect: ${networkErrorWords(errorText)}.` : 'Could not connect.') + hint, elapsedMs };
}
