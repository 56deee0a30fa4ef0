// WebSocket clients for the fan-out latency figures that do as little as a client can: a TCP socket, the
// handshake written by hand, server frames cut out of the byte stream in place, nothing decoded unless the
// caller asks. With 1,000 ws clients in the bench's process the tail of "sample to the 1,000th client"
// was the bench's: side by side against the same bare server, ws clients read p99 49, 41 and 21 ms where
// these read 22, 20 and 23 (p50 16–18 with either), and even the server's own send loop ran longer beside
// them (p99 30 and 38 ms against 18–20).

import net from 'node:net';
import { openInBatches } from './clients';

export interface RawClients {
  close(): Promise<void>;
}

export interface RawClientOptions {
  /** A text message each client sends once the handshake is done (sent masked, as a client must). */
  firstMessage?: string;
  /** Each server text or binary frame's payload; a view into the socket's chunk, valid only during the call. */
  onFrame(payload: Buffer): void;
}

const OPCODE_TEXT = 0x1;
const OPCODE_BINARY = 0x2;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const HANDSHAKE_END = Buffer.from('\r\n\r\n');

/** Opens `count` clients of the ws:// `url`, `batch` at a time; rejects after `timeoutMs`. */
export async function openRawClients(url: string, count: number, options: RawClientOptions, batch = 50, timeoutMs = 60_000): Promise<RawClients> {
  const target = new URL(url);
  if (target.protocol !== 'ws:') throw new Error(`raw clients speak ws:// only, not ${target.protocol}`);
  const request = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
  const sockets = await openInBatches(count, batch, timeoutMs, 'raw clients', () => openOne(target, request, options));
  return {
    close: () =>
      Promise.all(
        sockets.map((socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve()).destroy()))),
      ).then(() => undefined),
  };
}

function openOne(target: URL, request: string, options: RawClientOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port) });
    socket.setNoDelay(true);
    let pending: Buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.once('connect', () => socket.write(request));
    socket.once('error', reject);
    socket.on('data', (chunk: Buffer) => {
      let bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      if (!upgraded) {
        const end = bytes.indexOf(HANDSHAKE_END);
        if (end < 0) {
          pending = bytes;
          return;
        }
        const status = bytes.subarray(0, bytes.indexOf('\r\n')).toString('latin1');
        if (!status.includes(' 101 ')) {
          socket.destroy();
          return reject(new Error(`the server refused the upgrade: ${status}`));
        }
        upgraded = true;
        if (options.firstMessage !== undefined) socket.write(maskedFrame(OPCODE_TEXT, Buffer.from(options.firstMessage)));
        resolve(socket);
        bytes = bytes.subarray(end + HANDSHAKE_END.length);
      }
      pending = readFrames(bytes, socket, options.onFrame);
    });
  });
}

/** Hands on every whole frame in `bytes` and returns the incomplete tail. */
function readFrames(bytes: Buffer, socket: net.Socket, onFrame: (payload: Buffer) => void): Buffer {
  let at = 0;
  while (bytes.length - at >= 2) {
    const opcode = bytes[at]! & 0x0f;
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (bytes.length - at < 4) break;
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    } else if (length === 127) {
      if (bytes.length - at < 10) break;
      length = Number(bytes.readBigUInt64BE(at + 2));
      header = 10;
    }
    if (bytes.length - at < header + length) break;
    const payload = bytes.subarray(at + header, at + header + length);
    if (opcode === OPCODE_PING) socket.write(maskedFrame(OPCODE_PONG, Buffer.from(payload)));
    else if (opcode === OPCODE_TEXT || opcode === OPCODE_BINARY) onFrame(payload);
    at += header + length;
  }
  return at === bytes.length ? Buffer.alloc(0) : Buffer.from(bytes.subarray(at));
}

/** A client frame under 126 bytes; the zero mask is a valid mask and leaves the payload as it is. */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  if (payload.length >= 126) throw new Error('raw clients only send short frames');
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

/** The integer after `"key":` in a JSON payload, read without decoding the payload. */
export function integerAfter(payload: Buffer, key: string): number | undefined {
  const at = payload.indexOf(`"${key}":`);
  if (at < 0) return undefined;
  let value = 0;
  let digits = 0;
  for (let index = at + key.length + 3; index < payload.length; index += 1) {
    const byte = payload[index]!;
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
    digits += 1;
  }
  return digits > 0 ? value : undefined;
}
