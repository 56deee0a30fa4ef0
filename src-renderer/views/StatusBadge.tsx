// A host's state as shape, colour and word together, so it reads without colour vision too.

import type { ReactNode } from 'react';
import type { FleetHostState } from '../platform/platform';
import { STATE_LABELS } from '../state/host-state';

const PATHS: Record<FleetHostState, ReactNode> = {
  ok: (
    <>
      <circle cx="8" cy="8" r="7" />
      <path d="M4.6 8.3l2.2 2.2 4.6-4.9" className="mark" />
    </>
  ),
  warning: (
    <>
      <path d="M8 1.2l7.2 13.3H0.8z" />
      <path d="M8 5.8v4M8 12.1v.2" className="mark" />
    </>
  ),
  alert: (
    <>
      <path d="M5.1 1h5.8L15 5.1v5.8L10.9 15H5.1L1 10.9V5.1z" />
      <path d="M8 4.3v4.6M8 11.4v.2" className="mark" />
    </>
  ),
  offline: (
    <>
      <circle cx="8" cy="8" r="6.2" className="hollow" />
      <path d="M3.6 12.4l8.8-8.8" className="slash" />
    </>
  ),
};

export function StatusIcon({ state }: { state: FleetHostState }) {
  return (
    <svg className={`status-icon status-${state}`} viewBox="0 0 16 16" aria-hidden="true">
      {PATHS[state]}
    </svg>
  );
}

/**
 * `pending`: a host not answered yet and not given up on (detecting, connecting) shows the summary's
 * "connecting" spinner, not the offline mark, which would say it is down.
 */
export function StatusBadge({ state, label, pending = false }: { state: FleetHostState; label?: string; pending?: boolean }) {
  return (
    <span className={`status-badge ${pending ? 'is-pending' : `status-${state}`}`}>
      {pending ? <span className="spinner" aria-hidden="true" /> : <StatusIcon state={state} />}
      <span>{label ?? STATE_LABELS[state]}</span>
    </span>
  );
}
