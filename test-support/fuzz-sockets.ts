// Raw-socket fuzzing for TLS listeners: hostile bytes where a TLS handshake should be, and hostile
// WebSocket framing after a real TLS handshake and upgrade. Loopback only; every helper ends its own
// socket within a bounded wait, whatever the server does.

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { Fuzzer } from './fuzz';

/** The ClientHello Node's TLS client sends, captured by a plain TCP listener: real bytes to mutate. */
export async function captureClientHello(): Promise<Buffer> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  let client: tls.TLSSocket | undefined;
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ClientHello within 2 s')), 2000);
      server.once('connection', (socket) =>
        socket.once('data', (chunk: Buffer) => {
          clearTimeout(timer);
          resolve(chunk);
          socket.destroy();
        }),
      );
      client = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false });
      client.on('error', () => {});
    });
  } finally {
    client?.destroy();
    server.close();
  }
}

/** Something a TLS listener may receive instead of a handshake. */
export function hostileTlsBytes(fuzzer: Fuzzer, clientHello: Buffer): Buffer {
  switch (fuzzer.int(5)) {
    case 0:
      return fuzzer.bytes(2000);
    case 1:
      return fuzzer.mutateBytes(clientHello);
    case 2:
      // A record header of any content type and claimed length, over bytes that do not match it.
      return Buffer.concat([Buffer.from([fuzzer.pick([0x14, 0x15, 0x16, 0x17, 0x18]), 0x03, fuzzer.int(5), fuzzer.int(256), fuzzer.int(256)]), fuzzer.bytes(600)]);
    case 3:
      return Buffer.concat([clientHello, fuzzer.bytes(600)]);
    default:
      return Buffer.from('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  }
}

/** A masked client frame, as a server must receive it. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([0x80 | opcode]), length, mask, masked]);
}

/** Bytes a WebSocket server may receive after the upgrade: mutated valid frames (bad opcodes, reserved bits, lengths) or noise. */
export function hostileWebSocketBytes(fuzzer: Fuzzer, validText: string): Buffer {
  switch (fuzzer.int(3)) {
    case 0:
      return fuzzer.bytes(700);
    case 1:
      return fuzzer.mutateBytes(maskedFrame(1, Buffer.from(validText)));
    default:
      return Buffer.concat([maskedFrame(fuzzer.int(16), fuzzer.bytes(200)), maskedFrame(1, Buffer.from(validText))]);
  }
}

function settle(socket: net.Socket, lingerMs: number, resolve: () => void): void {
  const done = (): void => {
    clearTimeout(timer);
    socket.destroy();
    resolve();
  };
  const timer = setTimeout(done, lingerMs);
  socket.once('close', done);
}

/** Writes `data` on a fresh TCP connection and ends it once the server closes, or after `lingerMs`. */
export function sendRaw(port: number, data: Buffer, lingerMs = 200): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
    socket.on('error', () => {});
    settle(socket, lingerMs, resolve);
  });
}

/**
 * Completes a TLS handshake (accepting any certificate) and a WebSocket upgrade on `path`, then writes
 * `chunks` as raw bytes. Resolves with whether the upgrade was accepted, once the server closes or after
 * `lingerMs`.
 */
export function rawAfterTlsUpgrade(port: number, path: string, chunks: readonly Buffer[], lingerMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    let upgraded = false;
    let head = '';
    const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false }, () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      if (upgraded) return;
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      upgraded = head.startsWith('HTTP/1.1 101');
      if (upgraded) for (const bytes of chunks) socket.write(bytes);
    });
    settle(socket, lingerMs, () => resolve(upgraded));
  });
}
