// Flags that belong to the agent as a whole rather than to one protocol.

import { choiceFlag, stringFlag, switchFlag } from './flags';
import { LOG_LEVELS } from '../log';

export const hostFlag = stringFlag({
  name: 'host',
  group: 'general',
  help: 'Address every server binds; 0.0.0.0 shares this machine on the LAN',
  valueName: '<address>',
  defaultValue: '127.0.0.1',
});

export const hostnameFlag = stringFlag({
  name: 'hostname',
  group: 'general',
  help: "The name every protocol reports for this machine, instead of the system's hostname (a container's, or a friendlier one); dashboards tell machines apart by it",
  valueName: '<name>',
  defaultValue: undefined,
  defaultText: "the system's hostname",
});

export const jsonFlag = switchFlag({ name: 'json', group: 'general', help: 'Print the endpoints actually listening as one JSON line on stdout at start' });

export const logLevelFlag = choiceFlag({ name: 'log-level', group: 'general', help: 'How much to log on stderr', choices: LOG_LEVELS, defaultValue: 'info' });

export const dataDirFlag = stringFlag({
  name: 'data-dir',
  group: 'general',
  help: 'Where generated secrets and certificates are kept (mode 0700)',
  valueName: '<dir>',
  defaultValue: undefined,
  defaultText: '$XDG_CONFIG_HOME/fleetwatch-agent, else ~/.config/fleetwatch-agent',
});

export const tokenFlag = stringFlag({
  name: 'token',
  group: 'general',
  help: 'Admin bearer token: guards ServerControl\'s /exec (which stays off without it)',
  valueName: '<token>',
  secret: true,
});

export const exitOnStdinCloseFlag = switchFlag({
  name: 'exit-on-stdin-close',
  group: 'general',
  help: 'Exit when standard input closes: a supervisor holding the pipe then never leaves the agent orphaned',
});

export const GENERAL_FLAGS = [hostFlag, hostnameFlag, jsonFlag, logLevelFlag, dataDirFlag, tokenFlag, exitOnStdinCloseFlag];
