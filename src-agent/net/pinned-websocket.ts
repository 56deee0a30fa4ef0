// A WebSocket constructor for Node that trusts a wss:// server only if its certificate has the pinned
// SHA-256 fingerprint, whatever its names or expiry (self-signed agents). The check runs when the TLS
// handshake completes, before the HTTP upgrade (which may carry a token) is written.

import type net from 'node:net';
import type { TLSSocket } from 'node:tls';
import tls from 'node:tls';
import WebSocket from 'ws';
import type { WebSocketConstructor } from '../../proto/transport';

/** Upper-case colon-separated hex, the form Node reports and users paste. */
export function normalizeFingerprint(text: string): string {
  const hex = text.replace(/^sha256[:=]/i, '').replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (hex.length !== 64) throw new Error(`"${text}" is not a SHA-256 fingerprint (64 hex digits, colons optional)`);
  return hex.match(/../g)!.join(':');
}

export function pinnedWebSocket(fingerprint: string): WebSocketConstructor {
  return pinnedWebSockets(() => fingerprint);
}

/**
 * One constructor for many servers: a wss:// URL whose `host:port` has a pin (as the app's settings keep
 * them) is trusted by that fingerprint only; every other URL gets Node's usual checks.
 */
export function pinsByHostPort(pins: Readonly<Record<string, string>>): WebSocketConstructor {
  const normalized = new Map(Object.entries(pins).map(([hostPort, fingerprint]) => [hostPort.toLowerCase(), normalizeFingerprint(fingerprint)]));
  return pinnedWebSockets((url) => {
    if (url.protocol !== 'wss:') return undefined;
    return normalized.get(`${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || '443'}`.toLowerCase()) ?? normalized.get(`${url.hostname}:${url.port || '443'}`.toLowerCase());
  });
}

function pinnedWebSockets(pinFor: (url: URL) => string | undefined): WebSocketConstructor {
  return class PinnedWebSocket extends WebSocket {
    constructor(url: string) {
      const given = pinFor(new URL(url));
      if (given === undefined) {
        super(url);
        return;
      }
      const pinned = normalizeFingerprint(given);
      // ws types this hook as net.createConnection; for wss:// it is called with TLS options.
      const connectPinned = (options: tls.ConnectionOptions): TLSSocket => {
        const socket = tls.connect({ ...options, rejectUnauthorized: false });
        socket.once('secureConnect', () => {
          const presented = socket.getPeerCertificate().fingerprint256;
          if (presented !== pinned) socket.destroy(new Error(`certificate fingerprint ${presented ?? 'missing'} does not match the pinned ${pinned}`));
        });
        return socket;
      };
      super(url, { createConnection: connectPinned as unknown as typeof net.createConnection });
    }
  };
}
