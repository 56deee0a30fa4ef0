// Binding a port, with the one clear line a user needs when it fails: which protocol, which port,
// and which flag or environment variable moves it.

import type { Server as NetServer } from 'node:net';
import type { Socket as UdpSocket } from 'node:dgram';
import { envName, type FlagSpec } from '../cli/flags';

export interface PortOwner {
  /** Protocol id or subsystem, as in log tags. */
  owner: string;
  /** What listens there: "WebSocket", "HTTP", "UDP discovery". */
  what: string;
  flag: FlagSpec<unknown>;
}

export class ListenError extends Error {}

export function listenTcp(server: NetServer, port: number, host: string, owner: PortOwner): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(new ListenError(describeListenFailure(error, port, host, owner)));
    };
    const onListening = (): void => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ port, host, exclusive: true });
  });
}

export function bindUdp(socket: UdpSocket, port: number, host: string, owner: PortOwner): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      socket.off('listening', onListening);
      reject(new ListenError(describeListenFailure(error, port, host, owner)));
    };
    const onListening = (): void => {
      socket.off('error', onError);
      resolve(socket.address().port);
    };
    socket.once('error', onError);
    socket.once('listening', onListening);
    socket.bind({ port, address: host, exclusive: true });
  });
}

function describeListenFailure(error: NodeJS.ErrnoException, port: number, host: string, owner: PortOwner): string {
  const move = `choose another with --${owner.flag.name} or ${envName(owner.flag)}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${owner.owner}: ${owner.what} port ${port} is already in use on ${host}; ${move}`;
    case 'EACCES':
      return `${owner.owner}: not allowed to listen on ${owner.what} port ${port}; ${move}`;
    case 'EADDRNOTAVAIL':
      return `${owner.owner}: address ${host} is not on this machine; change it with --host or ${envName({ name: 'host' })}`;
    default:
      return `${owner.owner}: cannot listen on ${owner.what} port ${port} (${error.code ?? error.message}); ${move}`;
  }
}
