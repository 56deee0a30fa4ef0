// ServerControl client: listens to the unprompted stream (stats, CPU alerts, task events) and pings every
// 30 s to measure latency. The real pong ignores request ids, so a pong is matched to the ping before it.

import type { ClientSession, ProtocolClient, SessionContext } from '../client';
import type { HostEvent } from '../model';
import { PROTOCOLS } from '../protocols';
import { parseJson } from '../units';
import { decodeServerControl } from './decode';
import { PING_MESSAGE } from './wire';

export const PING_INTERVAL_MS = 30_000;

/** SysMedic's integer-second timestamps stay below this; ServerControl's are epoch ms. */
const EPOCH_MS_FLOOR = 1e11;

export interface ServerControlClientOptions {
  pingIntervalMs?: number;
  now?: () => number;
}

export function fingerprintServerControl(data: string | Uint8Array): string | null {
  if (typeof data !== 'string') return null;
  const parsed = parseJson(data);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const message = parsed as Record<string, unknown>;
  if (message.type === 'stats_update' && typeof message.ram_total === 'number' && typeof message.cpu === 'number') {
    return 'sent an unprompted stats_update with ram_total';
  }
  // SysMedic answers ping with a pong too, but carries `data.message` and echoes `request_id`.
  if (message.type === 'pong' && typeof message.timestamp === 'number' && message.timestamp >= EPOCH_MS_FLOOR && !('data' in message) && !('request_id' in message)) {
    return 'answered {"type":"ping"} with a pong carrying a millisecond timestamp';
  }
  return null;
}

export function createServerControlClient(options: ServerControlClientOptions = {}): ProtocolClient {
  const pingIntervalMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
  const now = options.now ?? Date.now;
  return {
    id: 'servercontrol',
    capabilities: PROTOCOLS.servercontrol.capabilities,
    probe: PING_MESSAGE,
    // The server pushes stats_update every second.
    silenceLimitMs: 15_000,
    fingerprint: fingerprintServerControl,
    open: (context) => openSession(context, pingIntervalMs, now),
  };
}

function openSession({ send, sink, hostLabel }: SessionContext, pingIntervalMs: number, now: () => number): ClientSession {
  let announcedHostname: string | undefined;
  let pingSentAtMs: number | undefined;

  const announce = (hostname: string | undefined): void => {
    const name = hostname ?? announcedHostname ?? hostLabel;
    if (name === announcedHostname) return;
    announcedHostname = name;
    sink.host({ id: hostLabel, hostname: name });
  };
  const report = (event: HostEvent, hostname?: string): void => {
    announce(hostname);
    sink.event(hostLabel, event);
  };
  const ping = (): void => {
    if (send(PING_MESSAGE)) pingSentAtMs = now();
  };

  ping();
  const pinger = setInterval(ping, pingIntervalMs);

  return {
    onMessage(data) {
      if (typeof data !== 'string') return;
      const decoded = decodeServerControl(data, now());
      switch (decoded?.kind) {
        case 'stats_update':
          announce(decoded.hostname);
          sink.sample(hostLabel, decoded.sample);
          break;
        case 'cpu_alert':
          report(decoded.event, decoded.hostname);
          break;
        case 'task':
          report(decoded.event);
          break;
        case 'pong':
          if (pingSentAtMs !== undefined) sink.latency(Math.max(0, now() - pingSentAtMs));
          pingSentAtMs = undefined;
          break;
      }
    },
    dispose() {
      clearInterval(pinger);
    },
  };
}

export const serverControlClient: ProtocolClient = createServerControlClient();
