// A protocol's name as a small badge, optionally with its connection state.

import type { ConnectionState } from '../../proto/connection';
import { PROTOCOLS, type ProtocolId } from '../../proto/protocols';

const STATE_WORDS: Record<ConnectionState['status'], string> = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  'auth-required': 'needs credentials',
  failed: 'failed',
  stopped: 'stopped',
};

export function ProtocolBadge({ protocol, state }: { protocol: ProtocolId; state?: ConnectionState }) {
  const info = PROTOCOLS[protocol];
  const title = `${info.label} (${info.variant})${state ? ` — ${STATE_WORDS[state.status]}` : ''}`;
  return (
    <span className={`protocol-badge protocol-${protocol}${state ? ` conn-${state.status}` : ''}`} title={title}>
      {info.label}
    </span>
  );
}
