// The vStats hub's flags. Specs only: values are read through these objects by the hub's modules.

import { PROTOCOLS } from '../../../proto/protocols';
import { numberFlag, protocolFlags, stringFlag, type FlagSpec } from '../../cli/flags';

export const ID = 'vstats';

// Agents push whole metrics documents (disks, interfaces, GPUs); 256 KiB holds a large server's.
export const {
  port: vstatsPort,
  disabled: vstatsDisabled,
  maxFrame: vstatsMaxFrame,
} = protocolFlags({
  id: ID,
  label: PROTOCOLS[ID].label,
  defaultPort: PROTOCOLS[ID].defaultPort,
  portHelp: 'vStats hub port: dashboards on /ws, agents on /ws/agent',
  maxFrameBytes: 256 * 1024,
});

/** A day offline at one report a second, as a real agent's batch, is tens of MB; a few hours fit in the default. */
export const vstatsMaxBackfill = numberFlag({
  name: 'vstats-max-backfill-bytes',
  group: ID,
  help: 'Largest message an authenticated agent may send (a backfill after an outage); before auth, --vstats-max-frame-bytes holds',
  valueName: '<bytes>',
  defaultValue: 16 * 1024 * 1024,
  min: 64 * 1024,
  max: 256 * 1024 * 1024,
  integer: true,
});

export const vstatsToken = stringFlag({
  name: 'vstats-token',
  group: ID,
  help: 'Token agents must present on /ws/agent (?token= or their auth message); generated and kept in the data dir when not given',
  valueName: '<token>',
  defaultText: 'generated',
  secret: true,
});

export const vstatsInterval = numberFlag({
  name: 'vstats-interval',
  group: ID,
  help: "Seconds between this machine's metrics to dashboards (and to the --vstats-push hub)",
  valueName: '<seconds>',
  defaultValue: 5,
  min: 1,
  max: 60,
});

export const vstatsOfflineAfter = numberFlag({
  name: 'vstats-offline-after',
  group: ID,
  help: 'Seconds without metrics before an agent is shown offline; it is removed after ten times as long',
  valueName: '<seconds>',
  defaultValue: 30,
  min: 1,
  max: 3600,
});

const pushUrl = stringFlag({
  name: 'vstats-push',
  group: ID,
  help: "Also push this machine's metrics to a vStats hub, e.g. ws://hub:3001/ws/agent?token=…",
  valueName: '<url>',
  secret: true,
});

/** The push URL carries the hub's token, so a parse error never repeats it. */
export const vstatsPush: FlagSpec<string | undefined> = {
  ...pushUrl,
  parse(raw) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error('expects a ws:// or wss:// URL');
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new Error(`expects a ws:// or wss:// URL, got a ${url.protocol}// one`);
    return raw;
  },
};

export const vstatsServerId = stringFlag({
  name: 'vstats-server-id',
  group: ID,
  help: 'Server id this machine pushes as (with --vstats-push)',
  valueName: '<id>',
  defaultText: 'the hostname',
});

export const VSTATS_FLAGS = [vstatsPort, vstatsDisabled, vstatsMaxFrame, vstatsMaxBackfill, vstatsToken, vstatsInterval, vstatsOfflineAfter, vstatsPush, vstatsServerId];
