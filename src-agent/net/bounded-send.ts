// Sending to a WebSocket client without letting a client that does not read grow our memory: frames to a
// client whose send buffer is over the bound are skipped, and a client that stays over it is closed.
// The bound travels with the socket (set where it is accepted), so every send site honours it.

import WebSocket from 'ws';

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

/** Returns true when the frame was queued. */
export function sendBounded(socket: WebSocket, data: string | Buffer, now = Date.now()): boolean {
  if (socket.readyState !== WebSocket.OPEN) return false;
  const policy = policies.get(socket) ?? DEFAULT_BACKPRESSURE;
  if (socket.bufferedAmount > policy.maxBufferedBytes) {
    const since = slowSince.get(socket) ?? now;
    slowSince.set(socket, since);
    if (now - since >= policy.graceMs) socket.terminate();
    return false;
  }
  slowSince.delete(socket);
  socket.send(data);
  return true;
}

/** Sends one pre-serialized frame to many clients; returns how many got it. */
export function broadcast(sockets: Iterable<WebSocket>, data: string | Buffer): number {
  const now = Date.now();
  let sent = 0;
  for (const socket of sockets) if (sendBounded(socket, data, now)) sent += 1;
  return sent;
}
