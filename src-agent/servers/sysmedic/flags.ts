// The SysMedic server's flags. The secret flag is marked secret so it is never echoed in logs or errors.

import { PROTOCOLS } from '../../../proto/protocols';
import { numberFlag, protocolFlags, stringFlag } from '../../cli/flags';

const ID = 'sysmedic';

// Real daemons close a client that sends more than 512 bytes; requests are far smaller.
export const {
  port: portFlag,
  disabled: disabledFlag,
  maxFrame: maxFrameFlag,
} = protocolFlags({ id: ID, label: PROTOCOLS[ID].label, defaultPort: PROTOCOLS[ID].defaultPort, maxFrameBytes: 512 });

export const secretFlag = stringFlag({
  name: 'sysmedic-secret',
  group: ID,
  help: 'Secret clients must give as /ws?secret=; without it one is generated at first run and kept in the data dir (mode 0600)',
  valueName: '<secret>',
  defaultText: 'generated, kept in <data-dir>/sysmedic-secret',
  secret: true,
});

export const intervalFlag = numberFlag({
  name: 'sysmedic-interval',
  group: ID,
  help: 'Seconds between system_update messages (also how often alert thresholds are checked)',
  valueName: '<seconds>',
  defaultValue: 5,
  min: 1,
  max: 3600,
  integer: true,
});

export const cpuThresholdFlag = numberFlag({
  name: 'sysmedic-cpu-threshold',
  group: ID,
  help: 'CPU percent above which an alert is broadcast',
  valueName: '<percent>',
  defaultValue: 80,
  min: 1,
  max: 100,
});

export const memoryThresholdFlag = numberFlag({
  name: 'sysmedic-memory-threshold',
  group: ID,
  help: 'Memory percent above which an alert is broadcast',
  valueName: '<percent>',
  defaultValue: 80,
  min: 1,
  max: 100,
});

export const SYSMEDIC_FLAGS = [portFlag, disabledFlag, maxFrameFlag, secretFlag, intervalFlag, cpuThresholdFlag, memoryThresholdFlag];
