// The server side's WebSocket class: each inbound message passes a gate before any listener sees it.
// Once the gate refuses one, that message and every later one are dropped: ws keeps delivering frames
// that arrive while the close handshake runs, and a protocol handler must not act on any of them.

import { WebSocket } from 'ws';

export class GatedWebSocket extends WebSocket {
  /** Decides for each inbound message, before the protocol's listeners; false drops it and all after it. */
  admitMessage: () => boolean = () => true;
  /** Said in the close frame when a message over the payload limit closes this socket (ws gives none). */
  oversizeReason = 'message too big';
  private refusing = false;

  /**
   * ws has one payload limit per server; this raises it for this socket alone (a vStats agent once it has
   * authenticated may send a large backfill). It sets ws's receiver field, checked at every frame header.
   */
  raiseMaxPayload(bytes: number): void {
    const receiver = (this as unknown as { _receiver: { _maxPayload: number } | null })._receiver;
    if (receiver) receiver._maxPayload = bytes;
  }

  override close(code?: number, reason?: string | Buffer): void {
    super.close(code, code === 1009 && reason === undefined ? this.oversizeReason : reason);
  }

  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'message') {
      if (this.refusing) return false;
      if (!this.admitMessage()) {
        this.refusing = true;
        return false;
      }
    }
    return super.emit(event, ...args);
  }
}
