// The words for a connection's and a machine's status, one table each, so every view says the same.

import type { ConnectionState } from '../../proto/connection';
import type { MachineStatus } from '../../fleet/fleet';

export const CONNECTION_WORDS: Record<ConnectionState['status'], string> = {
  detecting: 'detecting',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  'auth-required': 'needs credentials',
  failed: 'failed',
  stopped: 'stopped',
};

export const MACHINE_STATUS_WORDS: Record<MachineStatus, string> = {
  online: 'Online',
  detecting: 'Detecting',
  connecting: 'Connecting',
  offline: 'Offline',
  'auth-required': 'Needs credentials',
  failed: 'Failed',
};
