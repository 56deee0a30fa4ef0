// Answers ServerControl's UDP discovery: exactly `DISCOVER_SERVER` gets a unicast SERVER_RESPONSE to the
// sender; anything else is ignored. One socket per port, bound to the agent's --host, so a loopback agent
// never answers the LAN. It never sends unprompted and never broadcasts.

import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { isDiscoverRequest, MAX_DISCOVERY_REQUEST_BYTES, type ServerResponseMessage } from '../../../proto/servercontrol/discovery-wire';
import type { FlagSpec } from '../../cli/flags';
import type { Logger } from '../../log';
import { bindUdp } from '../../net/listen';
import type { ListeningEndpoint } from '../types';

export interface DiscoveryResponderOptions {
  owner: string;
  host: string;
  ports: readonly number[];
  flag: FlagSpec<unknown>;
  log: Logger;
  /** Replies per socket per second: a spoofed flood must not turn the agent into an amplifier. */
  maxRepliesPerSecond: number;
  /** Built at reply time, so it names the ports actually listening; null when there is nothing to offer. */
  answer(discoveryPort: number): Promise<ServerResponseMessage | null>;
}

export interface DiscoveryResponder {
  endpoints: ListeningEndpoint[];
  failures: string[];
  close(): Promise<void>;
}

export async function startDiscoveryResponder(options: DiscoveryResponderOptions): Promise<DiscoveryResponder> {
  const { log } = options;
  const sockets: dgram.Socket[] = [];
  const endpoints: ListeningEndpoint[] = [];
  const failures: string[] = [];

  await Promise.all(
    options.ports.map(async (requestedPort) => {
      const socket = dgram.createSocket({ type: isIP(options.host) === 6 ? 'udp6' : 'udp4' });
      try {
        const port = await bindUdp(socket, requestedPort, options.host, { owner: options.owner, what: 'UDP discovery', flag: options.flag });
        serve(socket, port, options);
        sockets.push(socket);
        endpoints.push({ owner: options.owner, kind: 'udp', role: 'discovery', host: options.host, port, open: true });
      } catch (error) {
        socket.close();
        failures.push((error as Error).message);
      }
    }),
  );
  if (endpoints.length > 0) log.info(`answering DISCOVER_SERVER on UDP ${options.host}:${endpoints.map((endpoint) => endpoint.port).join(', ')}`);

  return {
    endpoints,
    failures,
    close: () => Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve())))).then(() => undefined),
  };
}

function serve(socket: dgram.Socket, port: number, options: DiscoveryResponderOptions): void {
  const { log } = options;
  let windowStartMs = 0;
  let repliesInWindow = 0;
  socket.on('error', (error) => log.debug(`discovery socket ${port}: ${error.message}`));
  socket.on('message', (datagram, remote) => {
    if (datagram.length > MAX_DISCOVERY_REQUEST_BYTES || !isDiscoverRequest(datagram)) {
      log.debug(`ignored a ${datagram.length}-byte datagram from ${remote.address}:${remote.port} on discovery port ${port}`);
      return;
    }
    const nowMs = Date.now();
    if (nowMs - windowStartMs >= 1000) {
      windowStartMs = nowMs;
      repliesInWindow = 0;
    }
    if (repliesInWindow >= options.maxRepliesPerSecond) return;
    repliesInWindow += 1;
    options
      .answer(port)
      .then((answer) => {
        if (answer) socket.send(JSON.stringify(answer), remote.port, remote.address, (error) => error && log.debug(`discovery reply to ${remote.address}: ${error.message}`));
      })
      .catch((error: Error) => log.debug(`discovery reply to ${remote.address}: ${error.message}`));
  });
}
