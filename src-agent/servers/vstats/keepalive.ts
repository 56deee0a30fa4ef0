// WebSocket liveness for the vStats hub and its push client: a ping frame to every watched socket each
// interval, and a socket that leaves `missedLimit` pings in a row unanswered is terminated. Sends nothing else.

import type { WebSocket } from 'ws';

export interface KeepaliveOptions {
  intervalMs: number;
  /** Unanswered pings in a row before the socket is terminated. */
  missedLimit: number;
}

/** The documented hub pings every 30 s; two silent intervals mean the peer is gone. */
export const DEFAULT_KEEPALIVE: KeepaliveOptions = { intervalMs: 30_000, missedLimit: 2 };

export class Keepalive {
  private readonly missed = new Map<WebSocket, number>();
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(private readonly options: KeepaliveOptions = DEFAULT_KEEPALIVE) {
    this.timer = setInterval(() => this.tick(), options.intervalMs);
    this.timer.unref();
  }

  watch(socket: WebSocket): void {
    this.missed.set(socket, 0);
    socket.on('pong', () => {
      if (this.missed.has(socket)) this.missed.set(socket, 0);
    });
    socket.on('close', () => this.missed.delete(socket));
  }

  close(): void {
    clearInterval(this.timer);
    this.missed.clear();
  }

  private tick(): void {
    for (const [socket, missed] of this.missed) {
      if (missed >= this.options.missedLimit) {
        this.missed.delete(socket);
        socket.terminate();
        continue;
      }
      if (socket.readyState !== socket.OPEN) continue;
      this.missed.set(socket, missed + 1);
      socket.ping();
    }
  }
}
