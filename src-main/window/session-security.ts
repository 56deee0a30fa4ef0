// Hardens the window's session: the CSP header on the app's page, no web permissions (notifications go
// through the main process), and certificate pins enforced in Chromium's verifier.

import { X509Certificate } from 'node:crypto';
import type { App, Session } from 'electron';
import { decideCertificate, VERIFY_RESULT } from '../settings/certificate-pins';
import { rendererContentSecurityPolicy } from '../../src-renderer/platform/content-security-policy';

export interface SessionSecurityOptions {
  mode: 'production' | 'dev';
  /** Read at every handshake, so a pin saved in settings applies to the next connection. */
  pins(): Readonly<Record<string, string>>;
  log(line: string): void;
}

export function secureSession(session: Session, options: SessionSecurityOptions): void {
  const policy = rendererContentSecurityPolicy(options.mode === 'dev' ? 'dev' : 'header');
  session.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType !== 'mainFrame' && details.resourceType !== 'subFrame') return callback({});
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setCertificateVerifyProc((request, callback) => {
    const { decision, reason } = decideCertificate(request.hostname, fingerprintOf(request.certificate.data), options.pins());
    if (decision !== 'default') options.log(`tls: ${decision} — ${reason}`);
    callback(VERIFY_RESULT[decision]);
  });
}

/**
 * Chromium caches verdicts per certificate and host, so a pin added after a first refusal would not be
 * asked about again; the refusal then arrives here, where the new pin can still accept it.
 */
export function acceptPinnedCertificateErrors(app: App, options: Pick<SessionSecurityOptions, 'pins' | 'log'>): void {
  app.on('certificate-error', (event, _contents, url, _error, certificate, callback) => {
    const { decision, reason } = decideCertificate(new URL(url).hostname, fingerprintOf(certificate.data), options.pins());
    if (decision !== 'accept') return callback(false);
    event.preventDefault();
    options.log(`tls: accept after a cached refusal — ${reason}`);
    callback(true);
  });
}

/** SHA-256 of the certificate; empty when it cannot be parsed, which no pin matches. */
function fingerprintOf(pem: string): string {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return '';
  }
}
