// The slice of the WHATWG WebSocket that clients use. The browser's `WebSocket` and the `ws` package's
// class both satisfy it without casts, so one client runs in the renderer, the CLI and tests.

type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

export interface WebSocketLike {
  readonly readyState: number;
  readonly bufferedAmount: number;
  binaryType: string;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export const WS_OPEN = 1;

/**
 * Detaches every handler and closes. An error handler stays: `ws` emits 'error' when a socket still
 * connecting is closed, and under Node an 'error' nobody listens to ends the process.
 */
export function closeQuietly(socket: WebSocketLike): void {
  socket.onopen = socket.onmessage = socket.onclose = null;
  socket.onerror = () => undefined;
  try {
    socket.close();
  } catch {
    // Closing a socket that never opened throws in some runtimes; it is gone either way.
  }
}

/** Normalizes a frame to text or bytes, whatever the runtime delivered. */
export function frameData(data: unknown): string | Uint8Array | null {
  if (typeof data === 'string') return data;
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((part) => part instanceof Uint8Array)) return concatBytes(data as Uint8Array[]);
  return null;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
