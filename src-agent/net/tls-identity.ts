// The agent's TLS certificate: a self-signed ECDSA P-256 certificate generated on first start and kept in
// the data dir (key 0600). Clients pin it by its SHA-256 fingerprint, so names and expiry do not matter.

import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureDataDir } from '../data-dir';
import { crypto } from './node-crypto';

export interface TlsIdentity {
  cert: string;
  key: string;
  /** SHA-256 of the DER certificate, colon-separated hex, as clients pin it. */
  fingerprint256: string;
  created: boolean;
}

const TEN_YEARS_DAYS = 3650;

export async function loadOrCreateTlsIdentity(dir: string, name: string): Promise<TlsIdentity> {
  const certFile = path.join(ensureDataDir(dir), `${name}-cert.pem`);
  const keyFile = path.join(dir, `${name}-key.pem`);
  try {
    const cert = readFileSync(certFile, 'utf8');
    const key = readFileSync(keyFile, 'utf8');
    return { cert, key, fingerprint256: fingerprintOf(cert), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot use the TLS certificate in ${dir}: ${(error as Error).message}`);
  }
  // Loaded only here: certificate generation pulls in ~15 MB of code an agent without --tls never needs.
  const { default: selfsigned } = await import('selfsigned');
  const hostname = os.hostname();
  const generated = await selfsigned.generate([{ name: 'commonName', value: hostname }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + TEN_YEARS_DAYS * 86_400_000),
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 2, value: hostname },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  writeFileSync(keyFile, generated.private, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, generated.cert, { mode: 0o644 });
  return { cert: generated.cert, key: generated.private, fingerprint256: fingerprintOf(generated.cert), created: true };
}

function fingerprintOf(cert: string): string {
  const { X509Certificate } = crypto();
  return new X509Certificate(cert).fingerprint256;
}
