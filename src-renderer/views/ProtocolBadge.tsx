// A protocol's name as a small badge, optionally with its connection state; before detection has named
// one, a placeholder that says so.

import type { ConnectionState } from '../../proto/connection';
import { PROTOCOLS, type ProtocolId } from '../../proto/protocols';
import { CONNECTION_WORDS } from './status-words';

export function ProtocolBadge({ protocol, state }: { protocol: ProtocolId; state?: ConnectionState }) {
  const info = PROTOCOLS[protocol];
  const title = `${info.label} (${info.variant})${state ? ` — ${CONNECTION_WORDS[state.status]}` : ''}`;
  return (
    <span className={`protocol-badge protocol-${protocol}${state ? ` conn-${state.status}` : ''}`} title={title}>
      {info.label}
    </span>
  );
}

/** Stands where the protocol badges go for a server that no detection has found yet. */
export function UndetectedBadge() {
  return (
    <span className="protocol-badge conn-detecting" title="No protocol detected yet: FleetWatch keeps looking and connects when the server answers.">
      not detected yet
    </span>
  );
}
