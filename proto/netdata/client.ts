// Netdata client: reads /api/v1/info once for the host's facts, then each second one allmetrics answer,
// filtered to the charts it decodes. Netdata collects every second, so polling faster only repeats readings.

import type { PollClient } from '../http-source';
import { MIB } from '../units';
import type { HostInfo } from '../model';
import { PROTOCOLS } from '../protocols';
import { ALLMETRICS_PATH } from './charts';
import { hostInfoOf, parseInfo } from './info';
import { decodeAllmetrics } from './sample';

export const INFO_PATH = '/api/v1/info';

export const netdataClient: PollClient = {
  transport: 'http',
  id: 'netdata',
  capabilities: PROTOCOLS.netdata.capabilities,
  pollIntervalMs: 1000,
  // A parent holding many children's charts answers allmetrics in megabytes when it ignores the filter.
  maxBodyBytes: 8 * MIB,
  fingerprintPaths: [INFO_PATH],

  fingerprint(_path, answer) {
    const info = parseInfo(answer.body);
    return info ? `Netdata ${info.version} ${INFO_PATH}` : null;
  },

  open(context) {
    const base = apiBase(context.path);
    let host: HostInfo | undefined;
    return {
      async poll() {
        if (!host) {
          const answer = await context.get(`${base}${INFO_PATH}`);
          const info = parseInfo(answer.body);
          if (!info) throw new Error(`${base}${INFO_PATH} ${notInfoWords(answer.body)}`);
          host = hostInfoOf(info, context.hostLabel);
          context.sink.host(host);
        }
        const answer = await context.get(`${base}${ALLMETRICS_PATH}`);
        const decoded = decodeAllmetrics(answer.body, context.now());
        if ('problem' in decoded) throw new Error(`${base}/api/v1/allmetrics ${decoded.problem}.`);
        if (decoded.sample) context.sink.sample(host.id, decoded.sample);
      },
      dispose() {},
    };
  },
};

/** Where Netdata's API lives under the user's URL: `/` for Netdata itself, a prefix behind a reverse proxy. */
export function apiBase(path: string): string {
  const api = path.indexOf('/api/');
  return (api >= 0 ? path.slice(0, api) : path.replace(/\/[^/]*\.html?$/i, '')).replace(/\/+$/, '');
}

function notInfoWords(body: string): string {
  if (/^\s*</.test(body)) return "answered with an HTML page, not Netdata's JSON: is this Netdata's port?";
  return "answered with something that is not Netdata's info JSON (no version and mirrored_hosts): is this Netdata's port?";
}
