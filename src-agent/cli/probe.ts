// `agent probe <target> [--watch] [--json]`: detects what a server speaks with proto's detector and
// reads it with proto's clients under Node — the same code the desktop app runs in its renderer.

import { parseArgs } from './parse-args';
import WebSocket from 'ws';
import type { SourceSink } from '../../proto/client';
import type { ConnectionState } from '../../proto/connection';
import { detect, type Detection, type DetectionReport } from '../../proto/detect';
import { formatBytes, formatDuration, formatPercent, formatRate, formatTemp } from '../../proto/format';
import type { HostEvent, HostInfo, Sample } from '../../proto/model';
import { PROTOCOLS } from '../../proto/protocols';
import { parseTarget, withoutCredentials } from '../../proto/target';
import type { WebSocketConstructor } from '../../proto/transport';
import { sourceConnection } from '../../proto/source-connection';
import { nodeHttpGet } from '../net/http-get';
import { pinnedWebSocket } from '../net/pinned-websocket';

/** Exit codes, documented in the README. */
export const PROBE_EXIT = {
  ok: 0,
  /** Detected, but no sample arrived in time. */
  noSample: 1,
  usage: 2,
  /** Something answered but wants a token or secret (or refused the one given). */
  authRequired: 3,
  /** Nothing recognizable answered on any port tried. */
  notDetected: 4,
} as const;

export const PROBE_USAGE = `Usage: agent probe <target> [--watch] [--json] [--sample-timeout <seconds>]

  <target>     host, host:port, [IPv6]:port, ws://…, wss://…, http(s)://…, sysmedic://secret@host:port/,
               with ?token=… for socktop. A bare host tries every protocol's default port.
  --watch      keep streaming samples until interrupted
  --json       machine-readable output: one JSON object (with --watch, one JSON line per sample)
  --pin <sha256>
               trust a wss:// server only with this certificate fingerprint (self-signed agents:
               the agent prints it at start)
  --sample-timeout <seconds>
               how long to wait for a first sample (default 15: a GPU reference server sends its
               first usage_update only after 10 s)

Exit codes: 0 detected and sampled; 1 detected but no sample in time; 2 bad usage or target;
3 authentication required or refused; 4 nothing recognizable answered.
`;

interface HostReading {
  protocol: Detection['protocol'];
  info: HostInfo;
  sample?: Sample;
}

type Out = (text: string) => void;

export async function runProbe(argv: readonly string[], out: Out = (text) => process.stdout.write(text), err: Out = (text) => process.stderr.write(text)): Promise<number> {
  let values: { watch?: boolean; json?: boolean; help?: boolean; 'sample-timeout'?: string; pin?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { watch: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' }, 'sample-timeout': { type: 'string' }, pin: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    err(`agent probe: ${(error as Error).message}\n\n${PROBE_USAGE}`);
    return PROBE_EXIT.usage;
  }
  if (values.help) {
    out(PROBE_USAGE);
    return PROBE_EXIT.ok;
  }
  if (positionals.length !== 1) {
    err(`agent probe: expected exactly one target\n\n${PROBE_USAGE}`);
    return PROBE_EXIT.usage;
  }
  const sampleTimeoutSec = Number(values['sample-timeout'] ?? 15);
  if (!Number.isFinite(sampleTimeoutSec) || sampleTimeoutSec <= 0 || sampleTimeoutSec > 600) {
    err('agent probe: --sample-timeout expects seconds between 0 and 600\n');
    return PROBE_EXIT.usage;
  }

  let socketType: WebSocketConstructor = WebSocket;
  let target;
  try {
    if (values.pin !== undefined) socketType = pinnedWebSocket(values.pin);
    target = parseTarget(positionals[0]!);
  } catch (error) {
    err(`agent probe: ${(error as Error).message}\n`);
    return PROBE_EXIT.usage;
  }

  if (!values.json) err(`Detecting ${positionals[0]} …\n`);
  const report = await detect(target, { WebSocket: socketType, httpGet: nodeHttpGet });
  if (report.found.length === 0) {
    if (values.json) out(JSON.stringify({ target: target.input, found: [], attempts: report.attempts }) + '\n');
    else err(describeAttempts(report));
    return report.attempts.some((attempt) => attempt.outcome === 'auth-required') ? PROBE_EXIT.authRequired : PROBE_EXIT.notDetected;
  }
  if (!values.json) out(describeFound(report));

  return values.watch ? watch(report, socketType, values.json === true, out, err) : firstSamples(report, socketType, sampleTimeoutSec * 1000, values.json === true, out, err);
}

function describeAttempts(report: DetectionReport): string {
  const lines = report.attempts.map((attempt) => `  ${attempt.url.padEnd(40)} ${attempt.outcome.padEnd(14)} ${attempt.detail}`);
  return `No known protocol answered:\n${lines.join('\n')}\n`;
}

function describeFound(report: DetectionReport): string {
  const lines = report.found.map(
    (found) => `  ${PROTOCOLS[found.protocol].label} (${PROTOCOLS[found.protocol].variant}) at ${withoutCredentials(found.endpoint.url)} — ${found.evidence}, in ${found.elapsedMs} ms`,
  );
  return `Detected:\n${lines.join('\n')}\n`;
}

/** A connection per detected protocol feeding one map of host readings; closes them all on stop(). */
function openAll(found: readonly Detection[], socketType: WebSocketConstructor, onSample: (reading: HostReading) => void, onEvent: (hostId: string, event: HostEvent) => void, onState: (protocol: string, state: ConnectionState) => void) {
  const readings = new Map<string, HostReading>();
  const connections = found.map((detection) => {
    const key = (hostId: string): string => `${detection.protocol}\u0000${hostId}`;
    const sink: SourceSink = {
      host: (info) => readings.set(key(info.id), { ...readings.get(key(info.id)), protocol: detection.protocol, info }),
      sample: (hostId, sample) => {
        const reading = readings.get(key(hostId));
        if (!reading) return;
        reading.sample = sample;
        onSample(reading);
      },
      event: (hostId, event) => onEvent(hostId, event),
      hostStatus: () => {},
      hostRemoved: (hostId) => readings.delete(key(hostId)),
      latency: () => {},
      history: () => {},
    };
    const connection = sourceConnection({ endpoint: detection.endpoint, WebSocket: socketType, httpGet: nodeHttpGet, sink, onState: (state) => onState(detection.protocol, state) });
    if ('unreadable' in connection) throw new Error(connection.unreadable);
    connection.start();
    return connection;
  });
  return { readings, stop: () => connections.forEach((connection) => connection.stop()) };
}

/** Connections that gave up for good: the server refused the credential, or the endpoint cannot be used. */
class GiveUps {
  private readonly failures = new Map<string, { auth: boolean; reason: string }>();

  record(protocol: string, state: ConnectionState): boolean {
    if (state.status !== 'auth-required' && state.status !== 'failed') return false;
    this.failures.set(protocol, { auth: state.status === 'auth-required', reason: state.reason });
    return true;
  }

  has(protocol: string): boolean {
    return this.failures.has(protocol);
  }

  lines(): string[] {
    return [...this.failures].map(([protocol, failure]) => `${protocol}: ${failure.reason}`);
  }

  /** The exit code when no sample came: auth-required if any connection was refused its credential. */
  exitCode(): number {
    return [...this.failures.values()].some((failure) => failure.auth) ? PROBE_EXIT.authRequired : PROBE_EXIT.noSample;
  }
}

function firstSamples(report: DetectionReport, socketType: WebSocketConstructor, timeoutMs: number, json: boolean, out: Out, err: Out): Promise<number> {
  return new Promise((resolve) => {
    const sampled = new Set<string>();
    const giveUps = new GiveUps();
    let finished = false;
    const settledAll = (): boolean => report.found.every((found) => sampled.has(found.protocol) || giveUps.has(found.protocol));
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      session.stop();
      const readings = [...session.readings.values()];
      if (json) {
        out(JSON.stringify({ target: report.target.input, found: redactedFound(report.found), attempts: report.attempts, hosts: readings }) + '\n');
      } else {
        out(renderTable(readings));
        for (const line of giveUps.lines()) err(`${line}\n`);
      }
      resolve(readings.some((reading) => reading.sample) ? PROBE_EXIT.ok : giveUps.exitCode());
    };
    const timer = setTimeout(finish, timeoutMs);
    const session = openAll(
      report.found,
      socketType,
      (reading) => {
        // A source that rates CPU from counters (node_exporter) has it from its second reading: wait for that.
        if (reading.sample?.cpu === undefined && PROTOCOLS[reading.protocol].capabilities.includes('cpu')) return;
        sampled.add(reading.protocol);
        if (settledAll()) finish();
      },
      () => {},
      (protocol, state) => {
        if (giveUps.record(protocol, state) && settledAll()) finish();
      },
    );
    if (!json) err(`Waiting up to ${Math.round(timeoutMs / 1000)} s for a first sample …\n`);
  });
}

function redactedFound(found: readonly Detection[]): Detection[] {
  return found.map((detection) => ({ ...detection, endpoint: { ...detection.endpoint, url: withoutCredentials(detection.endpoint.url) } }));
}

/** Streams until interrupted, or until every connection has given up for good (then with that exit code). */
function watch(report: DetectionReport, socketType: WebSocketConstructor, json: boolean, out: Out, err: Out): Promise<number> {
  return new Promise((resolve) => {
    const giveUps = new GiveUps();
    let everSampled = false;
    if (json) out(JSON.stringify({ target: report.target.input, found: redactedFound(report.found) }) + '\n');
    const session = openAll(
      report.found,
      socketType,
      (reading) => {
        everSampled = true;
        out(json ? JSON.stringify({ protocol: reading.protocol, host: reading.info.id, hostname: reading.info.hostname, sample: reading.sample }) + '\n' : renderLine(reading));
      },
      (hostId, event) => {
        if (!json) err(`${hostId}: ${describeEvent(event)}\n`);
        else out(JSON.stringify({ host: hostId, event }) + '\n');
      },
      (protocol, state) => {
        if (state.status !== 'connected' && state.status !== 'connecting') err(`${protocol}: ${state.status}${'reason' in state ? ` — ${state.reason}` : ''}\n`);
        if (giveUps.record(protocol, state) && report.found.every((found) => giveUps.has(found.protocol))) end(everSampled ? PROBE_EXIT.ok : giveUps.exitCode());
      },
    );
    const interrupted = (): void => end(PROBE_EXIT.ok);
    function end(code: number): void {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      session.stop();
      resolve(code);
    }
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
  });
}

function describeEvent(event: HostEvent): string {
  switch (event.kind) {
    case 'alert':
      return `alert (${event.severity}): ${event.message}`;
    case 'task-start':
      return `task ${event.taskId} started: ${event.command}`;
    case 'task-output':
      return `task ${event.taskId}: ${event.output.trimEnd()}`;
    case 'task-complete':
      return `task ${event.taskId} finished with exit code ${event.exitCode ?? 'unknown'}`;
  }
}

const COLUMNS = ['protocol', 'host', 'cpu', 'memory', 'gpu', 'disk', 'network rx/tx', 'uptime'];

function cells(reading: HostReading): string[] {
  const { sample, info } = reading;
  const gpus = sample?.gpus ?? [];
  const memory = sample?.memory;
  return [
    reading.protocol,
    info.name ?? info.hostname ?? info.id,
    formatPercent(sample?.cpu?.totalPercent) + (sample?.cpu?.tempC === undefined ? '' : ` ${formatTemp(sample.cpu.tempC)}`),
    memory ? `${formatPercent(memory.usedPercent)}${memory.usedBytes !== undefined ? ` (${formatBytes(memory.usedBytes)} of ${formatBytes(memory.totalBytes)})` : ''}` : '—',
    gpus.length ? gpus.map((gpu) => formatPercent(gpu.utilizationPercent, 0)).join(', ') : '—',
    sample?.diskUsedPercent !== undefined ? formatPercent(sample.diskUsedPercent) : sample?.disks?.length ? `${sample.disks.length} disks` : '—',
    sample?.network?.rxBytesPerSec !== undefined ? `${formatRate(sample.network.rxBytesPerSec)} / ${formatRate(sample.network.txBytesPerSec)}` : '—',
    formatDuration(sample?.uptimeSec),
  ];
}

export function renderTable(readings: readonly HostReading[]): string {
  if (readings.length === 0) return 'No host reported anything yet.\n';
  const rows = [COLUMNS, ...readings.map(cells)];
  const widths = COLUMNS.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}

function renderLine(reading: HostReading): string {
  const [protocol, host, cpu, memory, gpu] = cells(reading);
  return `${new Date(reading.sample?.timeMs ?? Date.now()).toISOString()}  ${protocol}  ${host}  cpu ${cpu}  mem ${memory}  gpu ${gpu}\n`;
}
