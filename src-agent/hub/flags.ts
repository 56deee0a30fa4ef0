// The hub's own flags; `agent hub --help` lists them with the general and limit flags it shares with the agent.

import { numberFlag, portFlag, stringFlag, type FlagSpec } from '../cli/flags';
import { normalizeFingerprint } from '../net/pinned-websocket';
import { DAY_MS, DEFAULT_RETENTION, type Retention } from './history/history-store';

export const HUB_GROUP = 'hub';

export const serversFlag = stringFlag({
  name: 'servers',
  group: HUB_GROUP,
  help: 'Text file of servers to watch, one target per line as the add-server dialog takes them (host, host:port, a URL, sysmedic://secret@host:port/), optionally followed by a name and tags (words led by +: +gpu +rack-3); # starts a comment (the format Servers → Add many takes)',
  valueName: '<file>',
});

export const hubPortFlag = portFlag({ name: 'dashboard-port', group: HUB_GROUP, help: 'Port of the dashboard and its API, always on 127.0.0.1 (the API holds every server\'s credentials)', defaultValue: 8787 });

export const historyRetentionFlag: FlagSpec<Retention> = {
  name: 'history-retention',
  group: HUB_GROUP,
  help: 'How long history keeps per-second, per-minute and per-hour points (s, m, h, d, y units)',
  valueName: '<seconds,minutes,hours>',
  defaultValue: DEFAULT_RETENTION,
  defaultText: '24h,30d,1y',
  isSwitch: false,
  parse(raw) {
    const parts = raw.split(',').map((part) => part.trim());
    if (parts.length !== 3) throw new Error(`expected three durations (per-second, per-minute, per-hour), e.g. 24h,30d,1y; got "${raw}"`);
    const [secondsMs, minutesMs, hoursMs] = parts.map(parseDuration) as [number, number, number];
    if (!(secondsMs <= minutesMs && minutesMs <= hoursMs)) throw new Error(`each tier must keep at least as long as the finer one before it; got "${raw}"`);
    return { secondsMs, minutesMs, hoursMs };
  },
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS, y: 365 * DAY_MS };

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdy])$/.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration; write a number and a unit: 90s, 30m, 24h, 7d, 1y`);
  const ms = Number(match[1]) * UNIT_MS[match[2]!]!;
  if (ms < 60_000) throw new Error(`"${text}" is shorter than a minute, the smallest unit history is stored in`);
  return ms;
}

export const offlineAlertFlag = numberFlag({
  name: 'offline-alert-after',
  group: HUB_GROUP,
  help: 'Seconds a host may stop answering before it raises a critical alert (0: never); it clears when the host answers again',
  valueName: '<seconds>',
  defaultValue: 60,
  min: 0,
  max: 86_400,
  integer: true,
});

export const certificatePinsFlag: FlagSpec<Record<string, string>> = {
  name: 'certificate-pins',
  group: HUB_GROUP,
  help: 'Self-signed wss:// servers to trust by the SHA-256 fingerprint of their certificate (what `agent --tls` prints), as host:port=fingerprint, comma-separated',
  valueName: '<host:port=sha256,…>',
  defaultValue: {},
  isSwitch: false,
  parse(raw) {
    const pins: Record<string, string> = {};
    for (const item of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
      const at = item.lastIndexOf('=');
      const hostPort = item.slice(0, at);
      if (at < 0 || !/^(\[[0-9a-f:.]+\]|[^:\s]+):\d{1,5}$/i.test(hostPort)) throw new Error(`"${item}" is not host:port=fingerprint`);
      pins[hostPort] = normalizeFingerprint(item.slice(at + 1));
    }
    return pins;
  },
};

export const HUB_FLAGS = [serversFlag, hubPortFlag, historyRetentionFlag, offlineAlertFlag, certificatePinsFlag] as FlagSpec<unknown>[];
