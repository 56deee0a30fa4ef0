// The server side's WebSocket class: each inbound message passes a gate before any listener sees it.
// Once the gate refuses one, that message and every later one are dropped: ws keeps delivering frames
// that arrive while the close handshake runs, and a protocol handler must not act on any of them.

import { WebSocket } from 'ws';

export class GatedWebSocket extends WebSocket {
  /** Decides for each inbound message, before the protocol's listeners; false drops it and all after it. */
  admitMessage: () => boolean = () => true;
  private refusing = false;

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
