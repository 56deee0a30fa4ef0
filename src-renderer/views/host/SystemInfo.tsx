// Static facts about the machine and the endpoints it is read from.

import { formatBytes, formatDuration } from '../../../proto/format';
import type { Machine } from '../../../fleet/fleet';
import { withoutCredentials } from '../../../proto/target';
import { ProtocolBadge, UndetectedBadge } from '../ProtocolBadge';
import { CONNECTION_WORDS } from '../status-words';


export function SystemInfo({ machine }: { machine: Machine }) {
  const info = machine.info;
  const sample = machine.sample;
  const rows: [string, string | undefined][] = [
    // Protocols that never name their host fall back to the endpoint's host:port.
    [info?.hostname && /:\d+$/.test(info.hostname) ? 'Address' : 'Hostname', info?.hostname],
    ['Location', info?.location],
    ['OS', info?.os ? [info.os.name, info.os.version].filter(Boolean).join(' ') : undefined],
    ['Kernel', info?.os?.kernel],
    ['Architecture', info?.os?.arch],
    ['CPU', info?.cpu ? `${info.cpu.model} · ${info.cpu.cores} cores` : sample?.cpu?.perCorePercent ? `${sample.cpu.perCorePercent.length} cores` : undefined],
    ['Memory', formatBytes(info?.memoryTotalBytes ?? sample?.memory?.totalBytes) === '—' ? undefined : formatBytes(info?.memoryTotalBytes ?? sample?.memory?.totalBytes)],
    ['GPUs', info?.gpus?.length ? info.gpus.map((gpu) => `${gpu.name}${gpu.memoryTotalBytes ? ` (${formatBytes(gpu.memoryTotalBytes, 0)})` : ''}`).join(', ') : undefined],
    ['Uptime', sample?.uptimeSec !== undefined ? formatDuration(sample.uptimeSec) : undefined],
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
    </section>
  );
}
