// The dashboard side of the vStats hub (/ws, no auth): a new dashboard gets the hub's snapshot at once,
// then every published frame. Whatever a dashboard sends is ignored; a slow one is skipped, never waited for,
// except for a backfill, whose frames it gets at its own pace.

import type { WebSocket } from 'ws';
import { broadcast, sendBounded, sendPaced } from '../../net/bounded-send';

export class Dashboards {
  private readonly sockets = new Set<WebSocket>();

  get size(): number {
    return this.sockets.size;
  }

  /** Sends the snapshot, then recent backfills at the pace the dashboard reads them. */
  attach(socket: WebSocket, snapshot: readonly string[], backfills: readonly string[] = []): void {
    for (const frame of snapshot) sendBounded(socket, frame);
    if (backfills.length > 0) sendPaced(socket, backfills);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  publish(frame: string): void {
    if (this.sockets.size > 0) broadcast(this.sockets, frame);
  }

  /** Frames each dashboard must get whole and in order (a backfill), as fast as it reads them. */
  publishAll(frames: readonly string[]): void {
    for (const socket of this.sockets) sendPaced(socket, frames);
  }
}
