// One LAN discovery scan: DISCOVER_SERVER to every target on every discovery port, in rounds, listening
// after each; answers are deduplicated by sender address. Targets are always a parameter: callers pass
// defaultDiscoveryTargets(), which honours the loopback override.

import dgram from 'node:dgram';
import { decodeDiscoveryAnswer, DISCOVER_REQUEST, DISCOVERY_PORTS, type DiscoveredHost } from '../../proto/discovery';

export interface ScanOptions {
  targets: readonly string[];
  ports?: readonly number[];
  rounds?: number;
  /** How long to listen after each round. */
  roundMs?: number;
  /** Called for each new or updated host as answers arrive. */
  onHost?(host: DiscoveredHost): void;
  now?: () => number;
}

/** Answers larger than this are not ServerControl answers. */
const MAX_ANSWER_BYTES = 4096;

export async function scanLan(options: ScanOptions): Promise<DiscoveredHost[]> {
  const ports = options.ports ?? DISCOVERY_PORTS;
  const rounds = options.rounds ?? 3;
  const roundMs = options.roundMs ?? 500;
  const now = options.now ?? Date.now;
  const found = new Map<string, DiscoveredHost>();
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: false });

  socket.on('message', (message, remote) => {
    if (message.length > MAX_ANSWER_BYTES) return;
    const answer = decodeDiscoveryAnswer(message.toString('utf8'), remote.address);
    if (!answer) return;
    const host: DiscoveredHost = { address: remote.address, ...answer, lastSeenMs: now() };
    found.set(remote.address, host);
    options.onHost?.(host);
  });
  // A failed send to one target (no route, EACCES for broadcast) must not end the scan.
  socket.on('error', () => {});

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.setBroadcast(true);

  const request = Buffer.from(DISCOVER_REQUEST, 'ascii');
  try {
    for (let round = 0; round < rounds; round++) {
      for (const target of options.targets) for (const port of ports) socket.send(request, port, target, () => {});
      await new Promise((resolve) => setTimeout(resolve, roundMs));
    }
  } finally {
    socket.close();
  }
  return [...found.values()];
}
