import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideCertificate, normalizeFingerprint, pinHost } from './certificate-pins';

// A real self-signed P-256 certificate; its SHA-256 as `openssl x509 -noout -fingerprint -sha256` prints it.
const PEM = readFileSync(path.join(import.meta.dirname, 'fixtures/self-signed.pem'), 'utf8');
const OPENSSL_FINGERPRINT = '8A:8C:B3:64:81:11:9A:1E:11:49:6F:E2:E2:1D:62:4D:D5:62:45:6F:BC:05:67:8F:1D:54:5C:45:CB:DB:20:92';
const presented = new X509Certificate(PEM).fingerprint256;

describe('certificate pins', () => {
  it('reads the fingerprint the way openssl prints it, in any case, with or without colons', () => {
    expect(normalizeFingerprint(presented)).toBe(normalizeFingerprint(OPENSSL_FINGERPRINT));
    expect(normalizeFingerprint(OPENSSL_FINGERPRINT.toLowerCase().replace(/:/g, ''))).toBe(normalizeFingerprint(OPENSSL_FINGERPRINT));
  });

  it('accepts exactly the pinned certificate, self-signed or not', () => {
    expect(decideCertificate('gpu-box.lan', presented, { 'gpu-box.lan:8443': OPENSSL_FINGERPRINT.toLowerCase() }).decision).toBe('accept');
  });

  it('rejects any other certificate from a pinned host and says which pin it missed', () => {
    const other = 'AA'.repeat(32);
    const result = decideCertificate('GPU-BOX.lan', presented, { 'gpu-box.lan:8443': other });
    expect(result.decision).toBe('reject');
    expect(result.reason).toMatch(/not the certificate pinned for gpu-box\.lan:8443/);
  });

  it('leaves hosts without a pin to the ordinary verification', () => {
    expect(decideCertificate('example.org', presented, { 'gpu-box.lan:8443': OPENSSL_FINGERPRINT }).decision).toBe('default');
  });

  it('matches IPv6 pins with or without brackets', () => {
    expect(pinHost('[fd00::5]:8443')).toBe('fd00::5');
    expect(pinHost('fd00::5')).toBe('fd00::5');
    expect(pinHost('10.0.0.2:8443')).toBe('10.0.0.2');
    expect(decideCertificate('[fd00::5]', presented, { '[fd00::5]:8443': OPENSSL_FINGERPRINT }).decision).toBe('accept');
  });
});
