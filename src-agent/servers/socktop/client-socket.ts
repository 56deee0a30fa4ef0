// One socktop client socket: requests are answered strictly one at a time and in order, the next only once
// the previous reply has left, so a client that does not read cannot grow our buffers. Nothing is ever sent
// unprompted, and no WebSocket ping either (the real client reads a ping as a failed reply).

import type { WebSocket } from 'ws';
import { parseRequest, type SocktopRequest } from '../../../proto/socktop/requests';
import type { Logger } from '../../log';
import type { Reply } from './replies';

/** Requests a client may have waiting (including the one being answered) before it is closed. */
export const MAX_PENDING_REQUESTS = 32;

export function serveClientSocket(socket: WebSocket, answer: (request: SocktopRequest) => Promise<Reply>, log: Logger): void {
  const pending: SocktopRequest[] = [];
  let answering = false;
  let loggedIgnored = false;

  const answerPending = async (): Promise<void> => {
    answering = true;
    while (pending.length > 0 && socket.readyState === socket.OPEN) {
      const sent = await send(socket, await answer(pending[0]!));
      pending.shift();
      if (!sent) break;
    }
    answering = false;
  };

  socket.on('message', (data, isBinary) => {
    const request = isBinary ? null : parseRequest(data.toString());
    if (!request) {
      // Real agents ignore what they do not understand; so do we (detection sends `subscribe:usage` first).
      if (!loggedIgnored) log.debug(`ignored a ${isBinary ? 'binary frame' : 'frame that is not a request'}; further ones on this socket are not logged`);
      loggedIgnored = true;
      return;
    }
    if (pending.length >= MAX_PENDING_REQUESTS) {
      log.debug(`closed a client with more than ${MAX_PENDING_REQUESTS} requests waiting`);
      socket.close(1008, 'Too many requests waiting for replies');
      pending.length = 0;
      return;
    }
    pending.push(request);
    if (!answering) void answerPending();
  });
  socket.on('close', () => {
    pending.length = 0;
  });
}

function send(socket: WebSocket, reply: Reply): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.readyState !== socket.OPEN) return resolve(false);
    socket.send(reply, { binary: typeof reply !== 'string' }, (error) => resolve(!error));
  });
}
