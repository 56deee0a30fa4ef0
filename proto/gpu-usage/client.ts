// GPU usage stream client: sends `subscribe:usage` on open (the reference server closes on anything else
// first), treats `subscribed` as optional, and reads both server generations.

import type { ProtocolClient } from '../client';
import { PROTOCOLS } from '../protocols';
import { decodeGpuUsage } from './decode';
import { SUBSCRIBE_MESSAGE } from './wire';

export const gpuUsageClient: ProtocolClient = {
  id: 'gpu-usage',
  capabilities: PROTOCOLS['gpu-usage'].capabilities,
  probe: SUBSCRIBE_MESSAGE,
  // Updates come every interval: 5 s by default, up to 60 s where the server is set so (each after an
  // nvidia-smi run), and a reference server's first only after 10 s.
  silenceLimitMs: 150_000,

  fingerprint(data) {
    if (typeof data !== 'string') return null;
    const decoded = decodeGpuUsage(data, 0);
    switch (decoded?.kind) {
      case 'subscribed':
        return 'answered subscribe:usage with {"status":"subscribed"}';
      case 'system_info':
        return 'sent system_info with cpu_count';
      case 'usage_update':
        return 'sent usage_update with cpu_percent';
      default:
        return null;
    }
  },

  open({ send, sink, hostLabel }) {
    send(SUBSCRIBE_MESSAGE);
    let announced = false;
    const announce = (hostname: string): void => {
      announced = true;
      sink.host({ id: hostLabel, hostname });
    };
    return {
      onMessage(data) {
        if (typeof data !== 'string') return;
        const decoded = decodeGpuUsage(data, Date.now());
        if (decoded?.kind === 'system_info') {
          announced = true;
          sink.host({ ...decoded.host, id: hostLabel, hostname: decoded.host.hostname || hostLabel });
        } else if (decoded?.kind === 'usage_update') {
          if (!announced) announce(hostLabel);
          sink.sample(hostLabel, decoded.sample);
        }
      },
      dispose() {},
    };
  },
};
