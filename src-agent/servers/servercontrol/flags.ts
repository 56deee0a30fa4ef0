// ServerControl's flags: its three kinds of port, the CPU alert, and the opt-in for remote commands.
// Specs only; the server reads their values through these objects.

import { PROTOCOLS } from '../../../proto/protocols';
import { numberFlag, portFlag, portListFlag, protocolFlags, switchFlag } from '../../cli/flags';

export const ID = 'servercontrol';

// Clients only ever send `{"type":"ping"}`; anything much larger is hostile.
export const {
  port: wsPortFlag,
  disabled: disabledFlag,
  maxFrame: maxFrameFlag,
} = protocolFlags({ id: ID, label: PROTOCOLS[ID].label, defaultPort: PROTOCOLS[ID].defaultPort, maxFrameBytes: 4 * 1024 });

export const httpPortFlag = portFlag({
  name: 'servercontrol-http-port',
  group: ID,
  help: 'ServerControl HTTP API port (/stats, /hostname, /tasks, /logs, /exec, /kill)',
  defaultValue: 8080,
});

export const discoveryPortsFlag = portListFlag({
  name: 'servercontrol-discovery-ports',
  group: ID,
  help: 'UDP ports answering DISCOVER_SERVER, bound on --host (0.0.0.0 answers LAN broadcasts)',
  defaultValue: [8081, 2031],
});

export const cpuAlertThresholdFlag = numberFlag({
  name: 'cpu-alert-threshold',
  group: ID,
  help: 'CPU percent above which a cpu_alert is sent',
  valueName: '<percent>',
  defaultValue: 90,
  min: 0,
  max: 100,
});

export const cpuAlertCooldownFlag = numberFlag({
  name: 'cpu-alert-cooldown',
  group: ID,
  help: 'Seconds at least between two cpu_alert messages',
  valueName: '<seconds>',
  defaultValue: 60,
  min: 0,
  max: 86_400,
});

export const allowExecFlag = switchFlag({
  name: 'allow-exec',
  group: ID,
  help: 'Turn on POST /exec and /kill (remote shell commands); requires --token, sent as Authorization: Bearer',
});

export const discoveryRepliesFlag = numberFlag({
  name: 'discovery-max-replies-per-second',
  group: ID,
  help: 'DISCOVER_SERVER answers each discovery port sends per second at most, so spoofed requests cannot be amplified',
  defaultValue: 50,
  min: 1,
  max: 10_000,
  integer: true,
});

export const SERVERCONTROL_FLAGS = [wsPortFlag, disabledFlag, maxFrameFlag, httpPortFlag, discoveryPortsFlag, cpuAlertThresholdFlag, cpuAlertCooldownFlag, allowExecFlag, discoveryRepliesFlag];
