// Static facts about the machine, the endpoints it is read from, and the other servers that reach the same
// machine (the overview shows it once).

import { formatBytes, formatDuration } from '../../../proto/format';
import type { Machine } from '../../../fleet/fleet';
import { isAddressLabel } from '../../../fleet/merge';
import { figureSource } from '../../state/capabilities';
import { withoutCredentials } from '../../../proto/target';
import { ProtocolBadge, UndetectedBadge } from '../ProtocolBadge';
import { CONNECTION_WORDS } from '../status-words';


interface SameMachine {
  /** The machine the overview shows in this one's place. */
  shownAs: Machine | undefined;
  /** The machines the overview shows as this one. */
  also: readonly Machine[];
  onOpen(hostKey: string): void;
}

export function SystemInfo({ machine, same }: { machine: Machine; same?: SameMachine }) {
  const info = machine.info;
  const sample = machine.sample;
  const rows: [string, string | undefined][] = [
    // Protocols that never name their host fall back to the endpoint's host:port.
    [info?.hostname && isAddressLabel(info.hostname) ? 'Address' : 'Hostname', info?.hostname],
    ['Location', info?.location],
    ['OS', info?.os ? [info.os.name, info.os.version].filter(Boolean).join(' ') : undefined],
    ['Kernel', info?.os?.kernel],
    ['Architecture', info?.os?.arch],
    ['CPU', info?.cpu ? `${info.cpu.model ? `${info.cpu.model} · ` : ''}${info.cpu.cores} cores` : sample?.cpu?.perCorePercent ? `${sample.cpu.perCorePercent.length} cores` : undefined],
    ['Memory', formatBytes(info?.memoryTotalBytes ?? sample?.memory?.totalBytes) === '—' ? undefined : formatBytes(info?.memoryTotalBytes ?? sample?.memory?.totalBytes)],
    ['GPUs', info?.gpus?.length ? info.gpus.map((gpu) => `${gpu.name}${gpu.memoryTotalBytes ? ` (${formatBytes(gpu.memoryTotalBytes, 0)})` : ''}`).join(', ') : undefined],
    ['Uptime', sample?.uptimeSec !== undefined ? [formatDuration(sample.uptimeSec), figureSource(machine, 'uptime')].filter(Boolean).join(' · via ') : undefined],
    ['Processes', sample?.processCount !== undefined ? String(sample.processCount) : undefined],
    ['Server status', info?.serverStatus],
  ];
  return (
    <section className="panel system-info">
      <h2>System</h2>
      <dl className="facts">
        {rows
          .filter((row): row is [string, string] => row[1] !== undefined && row[1] !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <h3>Read from</h3>
      <ul className="endpoint-list">
        {machine.endpoints.map((endpoint) => (
          <li key={endpoint.url}>
            <ProtocolBadge protocol={endpoint.protocol} state={endpoint.state} />
            <code className="endpoint-url">{withoutCredentials(endpoint.url)}</code>
            <span className={`conn-text conn-${endpoint.state.status}`}>
              {CONNECTION_WORDS[endpoint.state.status]}
              {endpoint.latencyMs !== undefined && endpoint.state.status === 'connected' ? ` · ${Math.round(endpoint.latencyMs)} ms` : ''}
            </span>
          </li>
        ))}
        {machine.detectInput !== undefined && (
          <li>
            <UndetectedBadge />
            <code className="endpoint-url">{withoutCredentials(machine.detectInput)}</code>
            <span className="conn-text conn-detecting">{CONNECTION_WORDS.detecting}</span>
          </li>
        )}
      </ul>
      {same && (same.shownAs || same.also.length > 0) && <SameMachineList {...same} />}
    </section>
  );
}

function SameMachineList({ shownAs, also, onOpen }: SameMachine) {
  const others = [...(shownAs ? [shownAs] : []), ...also];
  return (
    <>
      <h3>Same machine</h3>
      <p className="muted same-machine-note">{shownAs ? `The overview shows this machine as ${shownAs.name}: the same hostname, booted at the same time or at the same address.` : 'These servers reach this machine too; the overview shows it once, as this one.'}</p>
      <ul className="endpoint-list same-machine">
        {others.map((other) => (
          <li key={other.key}>
            <button type="button" className="link" onClick={() => onOpen(other.key)}>
              {other.name}
            </button>
            {other.sourceName !== other.name && <span className="muted">{other.sourceName}</span>}
            {other.endpoints.map((endpoint) => (
              <ProtocolBadge key={endpoint.url} protocol={endpoint.protocol} state={endpoint.state} />
            ))}
          </li>
        ))}
      </ul>
    </>
  );
}
