// SysMedic client: reads the pushed `welcome`, `system_update` and `alert` messages, and asks
// `get_system_info` now and then for the load average. Keeps streaming when requests go unanswered (the
// shipped daemon ignores them) and stops asking after a few timeouts. Never stores a `config` message.

import type { ProtocolClient } from '../client';
import type { HostInfo } from '../model';
import { PROTOCOLS } from '../protocols';
import { decodeSysmedic } from './decode';
import { PendingRequests } from './pending-requests';

/** How often the client asks for `get_system_info` (load average). */
export const SYSTEM_INFO_INTERVAL_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 5000;
const MAX_PENDING_REQUESTS = 4;
/** Consecutive unanswered requests after which a session stops asking. */
export const TIMEOUTS_BEFORE_GIVING_UP = 3;
/** Daemon alert ids remembered so that each is reported once per session. */
const SEEN_ALERTS_LIMIT = 256;

export const sysmedicClient: ProtocolClient = {
  id: 'sysmedic',
  capabilities: PROTOCOLS.sysmedic.capabilities,
  probe: null,
  // system_update comes every 5 s (3 s from the real daemon), whether or not requests are answered.
  silenceLimitMs: 60_000,

  fingerprint(data) {
    if (typeof data !== 'string') return null;
    const decoded = decodeSysmedic(data, 0);
    if (decoded?.kind === 'welcome' && decoded.message.includes('SysMedic')) return 'sent welcome with data.message naming SysMedic';
    if (decoded?.kind === 'system_update') return 'sent system_update with data.cpu_usage';
    return null;
  },

  open({ send, sink, hostLabel }) {
    let host: HostInfo | undefined;
    const announce = (info: HostInfo): void => {
      host = info;
      sink.host(info);
    };
    const ensureHost = (): void => {
      if (!host) announce({ id: hostLabel, hostname: hostLabel });
    };

    let asking = true;
    let unansweredInRow = 0;
    const requests = new PendingRequests({
      send,
      timeoutMs: REQUEST_TIMEOUT_MS,
      maxPending: MAX_PENDING_REQUESTS,
      onTimeout: () => {
        unansweredInRow += 1;
        if (unansweredInRow >= TIMEOUTS_BEFORE_GIVING_UP) stopAsking();
      },
    });
    const ask = (): void => {
      if (asking) requests.send('get_system_info');
    };
    const ticker = setInterval(ask, SYSTEM_INFO_INTERVAL_MS);
    const stopAsking = (): void => {
      asking = false;
      clearInterval(ticker);
    };
    ask();

    const seenAlerts = new Set<string>();
    const remember = (id: string): boolean => {
      if (seenAlerts.has(id)) return false;
      seenAlerts.add(id);
      if (seenAlerts.size > SEEN_ALERTS_LIMIT) seenAlerts.delete(seenAlerts.values().next().value as string);
      return true;
    };

    return {
      onMessage(data) {
        if (typeof data !== 'string') return;
        const decoded = decodeSysmedic(data, Date.now());
        switch (decoded?.kind) {
          case 'welcome': {
            const info: HostInfo = { id: hostLabel, hostname: hostLabel };
            if (decoded.osName) info.os = { name: decoded.osName };
            if (decoded.serverStatus) info.serverStatus = decoded.serverStatus;
            announce(info);
            return;
          }
          case 'system_update':
            ensureHost();
            sink.sample(hostLabel, decoded.sample);
            for (const alert of decoded.alerts) if (remember(alert.id)) sink.event(hostLabel, alert.event);
            return;
          case 'alert':
            ensureHost();
            sink.event(hostLabel, decoded.event);
            return;
          case 'response': {
            const request = requests.settle(decoded.requestId);
            if (!request) return;
            unansweredInRow = 0;
            if (decoded.error !== undefined && request.type === 'get_system_info') return stopAsking();
            if (decoded.sample) {
              ensureHost();
              sink.sample(hostLabel, decoded.sample);
            }
            return;
          }
          default:
            return;
        }
      },
      dispose() {
        stopAsking();
        requests.dispose();
      },
    };
  },
};
