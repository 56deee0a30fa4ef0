// A test client that records every frame a server sends and lets a test wait for the one it expects.

import WebSocket from 'ws';

export interface Frame {
  atMs: number;
  binary: boolean;
  data: Buffer;
  text: string;
  /** The parsed JSON of a text frame, or undefined. */
  json: unknown;
}

export interface Recorder {
  socket: WebSocket;
  frames: Frame[];
  /** Resolves with the first recorded or future frame matching, or rejects after the timeout. */
  next(match: (frame: Frame) => boolean, timeoutMs?: number, what?: string): Promise<Frame>;
  /** Resolves with `count` frames matching, counting those already recorded. */
  collect(match: (frame: Frame) => boolean, count: number, timeoutMs?: number): Promise<Frame[]>;
  send(data: string | Buffer): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export interface RecorderOptions {
  headers?: Record<string, string>;
  /** Resolve even if the upgrade is refused; `rejected` then holds the HTTP status. */
  onUnexpectedResponse?: (status: number) => void;
}

export function connectRecorder(url: string, options: RecorderOptions = {}): Promise<Recorder> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: options.headers });
    const openedAt = Date.now();
    const frames: Frame[] = [];
    const waiters = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((done) => socket.on('close', (code, reason) => done({ code, reason: reason.toString() })));

    socket.on('message', (data, isBinary) => {
      const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      const text = isBinary ? '' : buffer.toString('utf8');
      let json: unknown;
      if (!isBinary) {
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      frames.push({ atMs: Date.now() - openedAt, binary: isBinary, data: buffer, text, json });
      for (const wake of [...waiters]) wake();
    });
    socket.on('unexpected-response', (_request, response) => {
      options.onUnexpectedResponse?.(response.statusCode ?? 0);
      reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
      socket.terminate();
    });
    socket.on('error', (error) => reject(error));

    const collect = (match: (frame: Frame) => boolean, count: number, timeoutMs = 5000): Promise<Frame[]> =>
      new Promise((done, fail) => {
        const check = (): boolean => {
          const found = frames.filter(match);
          if (found.length < count) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          done(found.slice(0, count));
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          fail(new Error(`expected ${count} matching frame(s) within ${timeoutMs} ms; got ${frames.filter(match).length} of ${frames.length}: ${frames.map((f) => (f.binary ? `<binary ${f.data.length} B>` : f.text.slice(0, 120))).join(' | ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });

    socket.on('open', () =>
      resolve({
        socket,
        frames,
        collect,
        next: (match, timeoutMs, what) =>
          collect(match, 1, timeoutMs).then(
            ([frame]) => frame!,
            (error: Error) => {
              throw what ? new Error(`${what}: ${error.message}`) : error;
            },
          ),
        send: (data) => socket.send(data),
        closed,
        close: () => socket.close(),
      }),
    );
  });
}

/** Frames of a given JSON `type`. */
export function ofType(type: string): (frame: Frame) => boolean {
  return (frame) => typeof frame.json === 'object' && frame.json !== null && (frame.json as { type?: unknown }).type === type;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
