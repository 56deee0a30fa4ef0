// Auto-detection: which of the five protocols a server speaks. One socket per candidate port: listen first
// (SysMedic, vStats and ServerControl speak unprompted), then send the probes in the catalog's order,
// `subscribe:usage` always first because a GPU reference server closes on any other first message.

import type { CloseInfo, Endpoint, ProtocolClient } from './client';
import { CLIENTS } from './clients';
import { CREDENTIALED_IDS, PROTOCOL_IDS, PROTOCOLS, portsOf, type ProtocolId } from './protocols';
import { closeCodeWords, networkErrorWords } from './network-words';
import { parseTarget, targetUrl, withoutCredentials, type Target } from './target';
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
  timings?: DetectTimings;
  onProgress?(attempts: readonly Attempt[]): void;
  /** Clients to try; defaults to the registry. */
  clients?: Partial<Record<ProtocolId, ProtocolClient>>;
  now?: () => number;
}

interface Candidate {
  port: number;
  secure: boolean;
  /** Protocols whose default port this is: used to name what a refused upgrade probably wants. */
  likely: ProtocolId[];
  /** Set when trying a bare host's default port: only that protocol's credential is sent there. */
  owner?: ProtocolId;
}

/** The URL a candidate port is tried at, with only its owner's credential on a bare host's default port. */
function probeUrl(target: Target, candidate: Candidate): string {
  return targetUrl(target, candidate.port, { secure: candidate.secure, ...(candidate.owner ? { protocol: candidate.owner } : {}) });
}

function candidatesFor(target: Target): Candidate[] {
  if (target.port !== undefined) {
    const known = PROTOCOL_IDS.flatMap((id) => portsOf(id, target.secure).filter((each) => each.port === target.port).map((each) => ({ id, secure: each.secure })));
    const likely = target.protocol ? [target.protocol] : known.map((each) => each.id);
    return [{ port: target.port, secure: target.secure || known.some((each) => each.secure), likely }];
  }
  // The default ports in detection order, then the extra ports (a TLS port is tried after every plain one).
  const defaults: Candidate[] = PROTOCOL_IDS.map((id) => ({ port: PROTOCOLS[id].defaultPort, secure: target.secure, likely: [id], owner: id }));
  const extras: Candidate[] = PROTOCOL_IDS.flatMap((id) => (PROTOCOLS[id].extraPorts ?? []).map((extra) => ({ ...extra, likely: [id], owner: id })));
  const ports = [...defaults, ...extras];
  return target.protocol ? ports.filter((candidate) => candidate.likely.includes(target.protocol!)) : ports;
}

/** Detects what a target speaks. Never throws for network trouble; a bad target string throws TargetError. */
export async function detect(input: string | Target, options: DetectOptions): Promise<DetectionReport> {
  const target = typeof input === 'string' ? parseTarget(input) : input;
  const clients = options.clients ?? CLIENTS;
  const ordered = PROTOCOL_IDS.flatMap((id) => clients[id] ?? []);
  const candidates = candidatesFor(target);
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
      probePort(target, candidate, ordered, options).then((result) => {
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
  if (target.secret || target.token) return 'The credentials given were refused';
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
