// Sending to a WebSocket client without letting a client that does not read grow our memory: frames to a
// client whose send buffer is over the bound are skipped, and a client that stays over it is closed.
// The bound travels with the socket (set where it is accepted), so every send site honours it.

import type { WebSocket } from 'ws';

export interface BackpressurePolicy {
  /** Above this many buffered bytes, sends to the client are skipped. */
  maxBufferedBytes: number;
  /** A client continuously over the bound this long is closed. */
  graceMs: number;
}

export const DEFAULT_BACKPRESSURE: BackpressurePolicy = { maxBufferedBytes: 1024 * 1024, graceMs: 30_000 };

const policies = new WeakMap<WebSocket, BackpressurePolicy>();
const slowSince = new WeakMap<WebSocket, number>();

export function assignBackpressure(socket: WebSocket, policy: BackpressurePolicy): void {
  policies.set(socket, policy);
}

/** Whether a frame may be queued to this client now; closes a client that has been over its bound too long. */
function admits(socket: WebSocket, now: number): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  const policy = policies.get(socket) ?? DEFAULT_BACKPRESSURE;
  if (socket.bufferedAmount > policy.maxBufferedBytes) {
    const since = slowSince.get(socket) ?? now;
    slowSince.set(socket, since);
    if (now - since >= policy.graceMs) socket.terminate();
    return false;
  }
  slowSince.delete(socket);
  return true;
}

/** How often a paced send looks whether the client has read enough to take the next frame. */
const PACE_MS = 20;

/** Per socket, paced frames not queued yet, oldest first. */
const paced = new WeakMap<WebSocket, string[]>();

/**
 * Frames that must all arrive in order (a backfill: one burst could be far over the bound, and a skipped
 * frame would be a hole in history): each is queued once the client's buffer is below half its bound,
 * after any paced frames sent before. Gives up when the socket closes; a client that stops reading is
 * closed by the broadcasts' grace rule.
 */
export function sendPaced(socket: WebSocket, frames: readonly string[]): void {
  const waiting = paced.get(socket);
  if (waiting) {
    waiting.push(...frames);
    return;
  }
  const queue = [...frames];
  paced.set(socket, queue);
  const policy = policies.get(socket) ?? DEFAULT_BACKPRESSURE;
  const pump = (): void => {
    while (queue.length > 0 && socket.readyState === socket.OPEN && socket.bufferedAmount < policy.maxBufferedBytes / 2) socket.send(queue.shift()!);
    if (queue.length > 0 && socket.readyState === socket.OPEN) setTimeout(pump, PACE_MS).unref();
    else paced.delete(socket);
  };
  pump();
}

/** Returns true when the frame was queued. */
export function sendBounded(socket: WebSocket, data: string | Buffer, now = Date.now()): boolean {
  if (!admits(socket, now)) return false;
  socket.send(data);
  return true;
}

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}

/** ws's own sender (not in its type definitions): its class frames, an instance writes whole frames. */
interface WsSender {
  sendFrame(list: Buffer[]): void;
  constructor: { frame(data: Buffer, options: FrameOptions): Buffer[] };
}
const senderOf = (socket: WebSocket): WsSender => (socket as unknown as { _sender: WsSender })._sender;
const TEXT_OPCODE = 1;

/**
 * Sends one text message to many clients, framed once: every client is written the same buffer in one
 * write, where ws.send would encode the text, build a header and write both again for each client.
 * Writing whole frames through ws's sender keeps its byte counts right; it is safe because our servers
 * never compress (perMessageDeflate is off) nor send Blobs, so ws's sender never holds a queue.
 */
export function broadcast(sockets: Iterable<WebSocket>, text: string): number {
  const now = Date.now();
  let frame: Buffer | undefined;
  let sent = 0;
  for (const socket of sockets) {
    if (!admits(socket, now)) continue;
    const sender = senderOf(socket);
    frame ??= Buffer.concat(sender.constructor.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: TEXT_OPCODE, mask: false, readOnly: false }));
    sender.sendFrame([frame]);
    sent += 1;
  }
  return sent;
}
