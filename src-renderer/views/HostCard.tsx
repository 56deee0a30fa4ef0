// One machine on the overview: state, name, protocols, and CPU, memory and GPU now with their last
// minutes as sparklines. Values sit in fixed-width slots so the card never shifts as digits change. A card
// far from the viewport renders only its head: a thousand cards redraw each second, and the figures of the
// ones nobody can see would cost the page its frames.

import { memo, useSyncExternalStore } from 'react';
import { formatBytes, formatDuration, formatPercent } from '../../proto/format';
import type { FleetReader } from '../../fleet/fleet';
import type { AppStore, HostRow } from '../state/app-store';
import { has } from '../state/capabilities';
import { endpointProblem, gpuPercent, isPending, percentLevel } from '../state/host-state';
import { COLUMN } from '../../fleet/sample-columns';
import { ProtocolBadge, UndetectedBadge } from './ProtocolBadge';
import { Sparkline } from './Sparkline';
import { StatusBadge } from './StatusBadge';
import { TagList } from './TagList';
import { MACHINE_STATUS_WORDS } from './status-words';
import { useNearViewport } from './use-near-viewport';

export const SPARKLINE_WINDOW_MS = 5 * 60_000;


interface MetricRowProps {
  label: string;
  value: number | undefined;
  provided: boolean;
  missingText: string;
  points: { x: number; y: number }[];
  fromMs: number;
  toMs: number;
}

function MetricRow({ label, value, provided, missingText, points, fromMs, toMs }: MetricRowProps) {
  return (
    <div className={`metric-row${provided ? ` level-${percentLevel(value)}` : ' metric-missing'}`}>
      <span className="metric-label">{label}</span>
      {provided ? (
        <>
          <span className="metric-value">{formatPercent(value)}</span>
          <Sparkline points={points} fromMs={fromMs} toMs={toMs} label={`${label} over the last 5 minutes`} />
        </>
      ) : (
        <span className="metric-note">{missingText}</span>
      )}
    </div>
  );
}

/** A line of static facts for an online card: uptime, cores, memory. */
function facts(machine: HostRow['machine']): string {
  const cores = machine.info?.cpu?.cores ?? machine.sample?.cpu?.perCorePercent?.length;
  const memory = machine.info?.memoryTotalBytes ?? machine.sample?.memory?.totalBytes;
  return [
    machine.sample?.uptimeSec !== undefined ? `up ${formatDuration(machine.sample.uptimeSec)}` : undefined,
    cores ? `${cores} ${cores === 1 ? 'core' : 'cores'}` : undefined,
    memory ? `${formatBytes(memory, 0)} RAM` : undefined,
    machine.sample?.gpus?.length ? `${machine.sample.gpus.length} GPU${machine.sample.gpus.length === 1 ? '' : 's'}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** What the card's head shows: the card redraws only when one of these changes. */
interface CardHead {
  hostKey: string;
  name: string;
  subtitle: string;
  local: boolean;
  state: HostRow['state'];
  /** The status word for a host that is not online. */
  statusWord: string | undefined;
  /** Not answered yet, not given up on. */
  pending: boolean;
  /** The same array while its tags are unchanged, so a reading never redraws the head. */
  tags: readonly string[];
}

export function cardHead({ machine, state }: HostRow): CardHead {
  const subtitle = [
    machine.info?.hostname && machine.info.hostname !== machine.name ? machine.info.hostname : undefined,
    !machine.local && machine.sourceName !== machine.name ? machine.sourceName : undefined,
    machine.hubHostId && machine.hubHostId !== machine.name && machine.hubHostId !== machine.info?.hostname ? machine.hubHostId : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return { hostKey: machine.key, name: machine.name, subtitle, local: machine.local, state, statusWord: machine.status === 'online' ? undefined : MACHINE_STATUS_WORDS[machine.status], pending: isPending(machine.status), tags: machine.tags };
}

/**
 * The card as the overview lays it out. Its props are its head's plain values, so a new reading redraws
 * none of a thousand cards; the figures below the head follow the store themselves, and only near the viewport.
 */
export const HostCard = memo(function HostCard({ store, onOpen, ...head }: CardHead & { store: AppStore; onOpen(key: string): void }) {
  const { hostKey, name, subtitle, local, state, statusWord, pending, tags } = head;
  const [cardRef, nearViewport] = useNearViewport<HTMLElement>();
  return (
    <article ref={cardRef} className={`host-card state-${state}`} data-host-key={hostKey} aria-label={`${name}: ${state}`}>
      <button type="button" className="card-open" onClick={() => onOpen(hostKey)} aria-label={`Open ${name}`} />
      <header className="card-head">
        <div className="card-title">
          <h3 title={name}>{name}</h3>
          <div className="card-subtitle" title={subtitle}>
            {local && <span className="local-tag">This computer</span>}
            {subtitle || (local || tags.length > 0 ? '' : '\u00a0')}
            <TagList tags={tags} />
          </div>
        </div>
        <StatusBadge state={state} label={statusWord} pending={pending} />
      </header>
      {nearViewport && <LiveFigures store={store} hostKey={hostKey} />}
    </article>
  );
});

/** The card's figures, redrawn at each change of the store while the card is near the viewport. */
function LiveFigures({ store, hostKey }: { store: AppStore; hostKey: string }) {
  useSyncExternalStore(store.subscribe, store.getVersion);
  const row = store.row(hostKey);
  if (!row) return null;
  const online = row.machine.status === 'online';
  // A host read through several protocols stays up while one of them is refused: the card says which.
  return <CardBody row={row} fleet={store.fleet} nowMs={Date.now()} online={online} refused={endpointProblem(row.machine)} />;
}

function CardBody({ row: { machine }, fleet, nowMs, online, refused }: { row: HostRow; fleet: FleetReader; nowMs: number; online: boolean; refused: string | undefined }) {
  const fromMs = nowMs - SPARKLINE_WINDOW_MS;
  const series = (column: string) => (online || fleet.columns(machine).size > 0 ? fleet.series(machine, column, fromMs) : []);
  const hasGpus = (machine.sample?.gpus?.length ?? 0) > 0 || fleet.columns(machine).has(COLUMN.gpuUtilizationMax);
  return (
    <>
      <div className="card-metrics" data-sample-ms={machine.sample?.timeMs}>
        <MetricRow label="CPU" value={machine.sample?.cpu?.totalPercent} provided points={series(COLUMN.cpu)} fromMs={fromMs} toMs={nowMs} missingText="" />
        <MetricRow label="RAM" value={machine.sample?.memory?.usedPercent} provided points={series(COLUMN.memory)} fromMs={fromMs} toMs={nowMs} missingText="" />
        <MetricRow
          label="GPU"
          value={gpuPercent(machine)}
          // Before detection names a protocol, nothing is known to be missing.
          provided={machine.protocols.length === 0 || (has(machine.protocols, 'gpu') && hasGpus)}
          missingText={has(machine.protocols, 'gpu') ? 'no GPU reported' : 'not in this protocol'}
          points={series(COLUMN.gpuUtilizationMax)}
          fromMs={fromMs}
          toMs={nowMs}
        />
      </div>
      <footer className="card-foot">
        <div className="badges">
          {machine.endpoints.map((endpoint) => (
            <ProtocolBadge key={endpoint.url} protocol={endpoint.protocol} state={endpoint.state} />
          ))}
          {machine.detectInput !== undefined && <UndetectedBadge />}
        </div>
        <div className={`card-status-text${online && !refused ? '' : ' is-problem'}`} title={online ? refused : machine.statusText}>
          {online ? (refused ?? (facts(machine) || '\u00a0')) : machine.statusText}
        </div>
      </footer>
    </>
  );
}
