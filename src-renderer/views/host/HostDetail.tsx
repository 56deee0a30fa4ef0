// One machine in full: charts over a chosen time range, disks, processes, events, system info, its active
// alerts, and what its protocols cannot show.

import { useState } from 'react';
import { useChartTheme } from '../../charts/use-chart-theme';
import type { AppStore } from '../../state/app-store';
import { has } from '../../state/capabilities';
import { STORED_TIME_RANGES, TIME_RANGES, type ChartSpan } from '../../state/time-format';
import { AlertList } from '../AlertList';
import { ProtocolBadge } from '../ProtocolBadge';
import { StatusBadge } from '../StatusBadge';
import { MACHINE_STATUS_WORDS } from '../status-words';
import { CapabilityNotice } from './CapabilityNotice';
import { DiskList } from './DiskList';
import { EventsPanel } from './EventsPanel';
import { HostCharts } from './HostCharts';
import { ProcessTable } from './ProcessTable';
import { SystemInfo } from './SystemInfo';
import { TimeRangePicker } from './TimeRangePicker';


export function HostDetail({ store, hostKey }: { store: AppStore; hostKey: string }) {
  const [span, setSpan] = useState<ChartSpan>({ kind: 'recent', ms: TIME_RANGES[0].ms });
  const theme = useChartTheme();
  const row = store.rows().find((candidate) => candidate.machine.key === hostKey);
  const back = (
    <button type="button" className="button ghost back" onClick={() => store.navigate({ view: 'overview' })}>
      ← Overview
    </button>
  );
  if (!row) {
    return (
      <div className="host-detail">
        {back}
        <div className="empty">
          <h2>This host is not in the fleet any more</h2>
          <p>Its server was removed, or its hub stopped reporting it.</p>
        </div>
      </div>
    );
  }
  const { machine, state } = row;
  const nowMs = Date.now();
  // Charts move in whole seconds: finer steps would only redraw the same points.
  const chartToMs = span.kind === 'custom' ? span.toMs : Math.floor(nowMs / 1000) * 1000;
  const chartFromMs = span.kind === 'custom' ? span.fromMs : chartToMs - span.ms;
  const alerts = store.book.entries(nowMs).filter((entry) => entry.hostKey === hostKey);
  const needsCredentials = machine.status === 'auth-required';
  // Until detection names a protocol there is nothing to chart: the page says where it is looking.
  const undetected = machine.protocols.length === 0;
  const same = {
    shownAs: machine.sameAs !== undefined ? store.row(machine.sameAs)?.machine : undefined,
    also: store.rows().flatMap((candidate) => (candidate.machine.sameAs === machine.key ? [candidate.machine] : [])),
    onOpen: (key: string) => store.navigate({ view: 'host', hostKey: key }),
  };

  return (
    <div className="host-detail">
      {back}
      <header className="detail-head">
        <div className="detail-title">
          {machine.local && <span className="local-tag">This computer</span>}
          <h1>{machine.name}</h1>
          <div className="badges">
            {machine.endpoints.map((endpoint) => (
              <ProtocolBadge key={endpoint.url} protocol={endpoint.protocol} state={endpoint.state} />
            ))}
          </div>
        </div>
        <div className="detail-actions">
          <StatusBadge state={state} label={machine.status === 'online' ? undefined : MACHINE_STATUS_WORDS[machine.status]} />
          {!undetected && (
            <TimeRangePicker ranges={store.hubStatus ? STORED_TIME_RANGES : TIME_RANGES} span={span} custom={store.hubStatus !== undefined} onChange={setSpan} />
          )}
        </div>
      </header>
      {machine.status !== 'online' && (
        <div className={`callout callout-${machine.status}`} role="status">
          <span>{machine.statusText}</span>
          {needsCredentials && !machine.local && (
            <button type="button" className="button" onClick={() => store.navigate({ view: 'servers' })}>
              Enter credentials
            </button>
          )}
          {machine.status === 'failed' && (
            <button type="button" className="button" onClick={() => store.retrySource(machine.sourceId)}>
              Retry
            </button>
          )}
        </div>
      )}
      {!undetected && <CapabilityNotice machine={machine} />}
      {alerts.length > 0 && <AlertList entries={alerts} store={store} nowMs={nowMs} compact />}
      {undetected ? (
        <div className="detail-undetected">
          <SystemInfo machine={machine} same={same} />
        </div>
      ) : (
        <>
          <HostCharts fleet={store.fleet} machine={machine} fromMs={chartFromMs} toMs={chartToMs} revision={store.fleet.storedRevision?.(machine) ?? 0} theme={theme} />
          <div className="detail-columns">
            <div className="detail-main">
              {machine.sample?.disks && machine.sample.disks.length > 0 && <DiskList disks={machine.sample.disks} />}
              {has(machine.protocols, 'processes') && <ProcessTable processes={machine.sample?.processes} {...(machine.sample?.processCount !== undefined ? { processCount: machine.sample.processCount } : {})} />}
              {(has(machine.protocols, 'alerts') || has(machine.protocols, 'tasks')) && (
                <EventsPanel events={store.fleet.events(machine)} tasks={store.fleet.tasks(machine)} showAlerts={has(machine.protocols, 'alerts')} showTasks={has(machine.protocols, 'tasks')} nowMs={nowMs} />
              )}
            </div>
            <div className="detail-side">
              <SystemInfo machine={machine} same={same} />
            </div>
          </div>
        </>
      )}
    </div>
  );
}
