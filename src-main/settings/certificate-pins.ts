// Certificate pinning for wss:// servers with self-signed certificates (socktop's TLS port and the like).
// Pure decision: for a pinned host, exactly the pinned SHA-256 is accepted and anything else rejected;
// unpinned hosts get the ordinary verification. The Electron call around it lives in the main process.

export type PinDecision = 'accept' | 'reject' | 'default';

/** Lower-case hex without separators: "AB:CD:…" and "abcd…" name the same fingerprint. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replace(/:/g, '').toLowerCase();
}

/** The host part of a `host:port` or `[v6]:port` pin key, lower-case, without brackets. */
export function pinHost(key: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(key);
  if (bracketed) return bracketed[1]!.toLowerCase();
  const lastColon = key.lastIndexOf(':');
  const host = lastColon > 0 && key.indexOf(':') === lastColon ? key.slice(0, lastColon) : key;
  return host.toLowerCase();
}

/**
 * Decides one TLS handshake. Chromium's verifier names the host but not the port, so every pin of a host
 * applies to all its ports: a host with pins accepts only certificates it pinned, on any port.
 */
export function decideCertificate(hostname: string, fingerprint: string, pins: Readonly<Record<string, string>>): { decision: PinDecision; reason: string } {
  const host = pinHost(hostname);
  const pinned = Object.entries(pins).filter(([key]) => pinHost(key) === host);
  if (pinned.length === 0) return { decision: 'default', reason: `${host} has no pin` };
  const presented = normalizeFingerprint(fingerprint);
  const match = pinned.find(([, pin]) => normalizeFingerprint(pin) === presented);
  if (match) return { decision: 'accept', reason: `${host} presented the certificate pinned for ${match[0]}` };
  return { decision: 'reject', reason: `${host} presented SHA-256 ${presented}, which is not the certificate pinned for ${pinned.map(([key]) => key).join(', ')}` };
}

/** Electron's setCertificateVerifyProc codes: 0 trusts, -2 refuses, -3 keeps Chromium's own verdict. */
export const VERIFY_RESULT: Record<PinDecision, number> = { accept: 0, reject: -2, default: -3 };
