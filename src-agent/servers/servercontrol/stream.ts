// ServerControl's WebSocket stream, any path: one 1 s timer sends stats_update (and a cpu_alert when due)
// to every client, sampling only while someone listens; `ping` gets `pong`; everything else is ignored.
// Task events reach clients through publish(); this file never runs a command.

import type { WebSocket } from 'ws';
import { decodeClientRequest, encodeCpuAlert, encodePong, encodeStatsUpdate, type ServerControlMessage } from '../../../proto/servercontrol/wire';
import { broadcast, sendBounded } from '../../net/bounded-send';
import { createWsServer, type WsServer } from '../../net/ws-server';
import type { Logger } from '../../log';
import type { AgentLimits } from '../../net/limits';
import type { Sampler } from '../../sampler/sampler';
import { CpuAlertGate } from './cpu-alert';

export const STATS_INTERVAL_MS = 1000;
export interface StreamOptions {
  sampler: Sampler;
  log: Logger;
  limits: AgentLimits;
  maxFrameBytes: number;
  thresholdPercent: number;
  cooldownMs: number;
}

export interface Stream {
  server: WsServer;
  /** Sends one message to every connected client. */
  publish(message: ServerControlMessage): void;
  close(): Promise<void>;
}

export function createStream(options: StreamOptions): Stream {
  const { sampler, log } = options;
  const clients = new Set<WebSocket>();
  const alerts = new CpuAlertGate(options.thresholdPercent, options.cooldownMs);
  let sampling = false;

  const server = createWsServer({
    log,
    limits: options.limits,
    maxPayloadBytes: options.maxFrameBytes,
    onConnection(socket) {
      clients.add(socket);
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        if (decodeClientRequest(data.toString())?.kind === 'ping') sendBounded(socket, JSON.stringify(encodePong(Date.now())));
      });
      socket.on('close', () => clients.delete(socket));
    },
  });

  const tick = async (): Promise<void> => {
    const snapshot = await sampler.snapshot();
    broadcast(clients, JSON.stringify(encodeStatsUpdate(snapshot)));
    const cpuPercent = snapshot.sample.cpu?.totalPercent ?? 0;
    if (alerts.shouldAlert(cpuPercent, snapshot.sample.timeMs)) {
      broadcast(clients, JSON.stringify(encodeCpuAlert(cpuPercent, snapshot.host.hostname, options.thresholdPercent, snapshot.sample.timeMs)));
    }
  };

  const ticker = setInterval(() => {
    // A snapshot slower than a second must not pile up behind itself.
    if (clients.size === 0 || sampling) return;
    sampling = true;
    tick()
      .catch((error: Error) => log.warn(`sampling failed: ${error.message}`))
      .finally(() => {
        sampling = false;
      });
  }, STATS_INTERVAL_MS);

  return {
    server,
    publish: (message) => void broadcast(clients, JSON.stringify(message)),
    close: async () => {
      clearInterval(ticker);
      await server.close();
    },
  };
}
