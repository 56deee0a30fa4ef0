// Hosts found on the LAN by a discovery scan, each with an Add button for every protocol it advertises.

import { useState } from 'react';
import { PROTOCOLS } from '../../proto/protocols';
import type { AppStore } from '../state/app-store';
import { serverForDiscovered } from '../state/servers';
import { formatAgo } from '../state/time-format';
import { DiscoveredAdd } from './DiscoveredAdd';

export function Discovery({ store }: { store: AppStore }) {
  const [scanError, setScanError] = useState<string | undefined>();
  const { discovery } = store;
  const nowMs = Date.now();
  const scan = (): void => {
    setScanError(undefined);
    store.scanDiscovery().catch((error: Error) => setScanError(error.message));
  };
  return (
    <div className="page discovery">
      <section className="panel">
        <div className="panel-head">
          <h2>On the LAN</h2>
          <div className="panel-tools">
            {!discovery.scanning && <span className="muted">{discovery.lastScanAtMs ? `Last scan ${formatAgo(discovery.lastScanAtMs, nowMs)}` : 'Not scanned yet'}</span>}
            <button type="button" className="button primary" onClick={scan} disabled={discovery.scanning}>
              {discovery.scanning ? 'Scanning…' : 'Scan now'}
            </button>
          </div>
        </div>
        <p className="muted hint">Finds ServerControl servers and FleetWatch agents that answer the DISCOVER_SERVER broadcast; an agent also names the other protocols it serves.</p>
        {(scanError ?? discovery.error) && (
          <p className="form-error" role="alert">
            {scanError ?? discovery.error}
          </p>
        )}
        {discovery.hosts.length === 0 ? (
          <p className="muted empty-line">{discovery.scanning ? 'Listening for answers…' : 'No host answered.'}</p>
        ) : (
          <ul className="discovered-list">
            {discovery.hosts.map((host) => {
              const added = serverForDiscovered(store.servers, host);
              return (
                <li key={host.address} className="discovered" data-address={host.address}>
                  <div className="discovered-main">
                    <div className="discovered-title">
                      <strong>{host.hostname}</strong>
                      <span className="muted num">{host.address}</span>
                      {host.isFleetWatchAgent && <span className="tag">FleetWatch agent</span>}
                    </div>
                    <div className="badges">
                      {host.protocols.map(({ protocol, port }) => (
                        <span key={protocol} className={`protocol-badge protocol-${protocol}`}>
                          {PROTOCOLS[protocol].label} <span className="num">:{port}</span>
                        </span>
                      ))}
                    </div>
                  </div>
                  <div className="discovered-actions">
                    <span className="muted">seen {formatAgo(host.lastSeenMs, nowMs)}</span>
                    {added ? (
                      <span className="tag tag-ok">Added</span>
                    ) : (
                      <DiscoveredAdd store={store} host={host} />
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
