// The fleet model: every source (the local agent, each configured server) with its endpoints, the hosts
// each endpoint reports, their latest readings, the history columns they fill, and their events, grouped
// into machines (one card each). Plain data fed through SourceSinks; it opens no sockets
// (connection-pool.ts does) and keeps no history (the hub's store does).

import type { Endpoint, SourceSink } from '../proto/client';
import type { ConnectionState } from '../proto/connection';
import type { Capability, HostEvent, HostInfo, Sample } from '../proto/model';
import { CREDENTIALED_IDS, PROTOCOLS, type ProtocolId } from '../proto/protocols';
import { EventLog, type LoggedEvent, type TaskRecord } from './event-log';
import { DEFAULT_HISTORY_LIMITS, type Point } from './history-table';
import { byPriority, figureSources, isMultiHost, mergeInfo, mergeSamples, type Figure } from './merge';
import { sampleColumns } from './sample-columns';
import { uniqueTags } from './tags';

/** What the fleet is asked to watch: the local agent, or one configured server. */
export interface SourceSpec {
  id: string;
  name: string;
  local: boolean;
  /** Empty while the server is still to be found: it is then detected at `detectInput` until it answers. */
  endpoints: Endpoint[];
  /** What the user typed, for a source with no endpoints yet. */
  detectInput?: string;
  /** The user's tags for this server; every host it reports carries them. */
  tags?: readonly string[];
}

/** One host as one protocol connection reports it. */
export interface ProtocolHost {
  protocol: ProtocolId;
  hostId: string;
  info: HostInfo;
  latest?: Sample;
  /** `latest` as history columns, computed once per reading. */
  latestColumns?: Readonly<Record<string, number | undefined>>;
  /** Every history column its readings have filled (what charts can ask for), at most MAX_COLUMNS. */
  columns: Set<string>;
  receivedAtMs?: number;
  /** A multi-host source's own verdict; single-host protocols are online while connected. */
  online: boolean;
  /** Its hub stopped listing it: kept, offline, until it comes back or the user removes its source. */
  gone?: boolean;
}

/** Column names a host may bring: a hostile source could invent unlimited ones. */
const MAX_COLUMNS = DEFAULT_HISTORY_LIMITS.maxColumns;

interface EndpointRecord {
  endpoint: Endpoint;
  state: ConnectionState;
  everConnected: boolean;
  latencyMs?: number;
  hosts: Map<string, ProtocolHost>;
}

interface SourceRecord {
  spec: SourceSpec;
  endpoints: Map<string, EndpointRecord>;
  events: EventLog;
  /** How the search goes for a source with no endpoints yet. */
  detection?: ConnectionState;
  /** Counts changes of anything but the latest readings: a machine of an unchanged revision differs only in its sample. */
  revision: number;
  /** Its machines as last built; a reading replaces only its machine's sample. */
  built?: BuiltMachines;
}

interface BuiltMachines {
  machines: Machine[];
  /** Per machine key: its index in `machines` and the parts whose readings make its sample. */
  byKey: Map<string, { index: number; onlineParts: ProtocolHost[] }>;
  keyOfPart: Map<ProtocolHost, string>;
}

export type MachineStatus = 'online' | 'detecting' | 'connecting' | 'offline' | 'auth-required' | 'failed';

export interface EndpointStatus {
  protocol: ProtocolId;
  url: string;
  state: ConnectionState;
  /** Whether this endpoint ever opened: a credentialed one that never did may have a wrong secret or token. */
  everConnected: boolean;
  latencyMs?: number;
}

/** One card: one machine of one source, its protocols merged. */
export interface Machine {
  /** Stable: `local`, the server entry id, or `<entry id>/<protocol>:<host id>` for a hub's other hosts. */
  key: string;
  sourceId: string;
  sourceName: string;
  local: boolean;
  name: string;
  /** A hub's own id for this host (vStats server_id), for telling apart hosts that share a hostname. */
  hubHostId?: string;
  protocols: ProtocolId[];
  /** The user's tags for its server, then what its source says of it (a vStats hub's location). */
  tags: string[];
  endpoints: EndpointStatus[];
  /** The address being detected, while the server has no endpoints yet; may carry credentials. */
  detectInput?: string;
  info?: HostInfo;
  /** The newest reading of every online protocol, merged. */
  sample?: Sample;
  /** Read through more than one protocol: which one each figure of `sample` comes from. */
  figureSources?: Partial<Record<Figure, ProtocolId>>;
  status: MachineStatus;
  /** Why it is not online, in words. */
  statusText?: string;
  capabilities: Capability[];
  parts: ProtocolHost[];
  /** Set where a fleet is shown (the hub's views): this machine is that one, read through another server (fleet/same-machine.ts). */
  sameAs?: string;
}

export type FleetChange =
  | { kind: 'sample'; machineKey: string; sourceId: string }
  | { kind: 'event'; machineKey: string; entry: LoggedEvent; hostName: string }
  | { kind: 'structure' }
  /** Readings a host sent after the fact, as history columns at their own times. */
  | { kind: 'history'; machineKey: string; readings: PastColumns[] };

export interface PastColumns {
  timeMs: number;
  spanMs: number;
  values: Record<string, number | undefined>;
}

/** What views read of a fleet, wherever it runs: in this page (Fleet) or in a hub (the renderer's HubFleet). */
export interface FleetReader {
  machines(): Machine[];
  machine(key: string): Machine | undefined;
  /** A column of a machine's history from `sinceMs` to `untilMs`, oldest first. */
  series(machine: Machine, column: string, sinceMs?: number, untilMs?: number): Point[];
  /** Counts the stored windows that arrived for a machine: charts of a fixed span redraw when it moves. */
  storedRevision?(machine: Machine): number;
  columns(machine: Machine): Set<string>;
  events(machine: Machine): LoggedEvent[];
  tasks(machine: Machine): TaskRecord[];
}

export interface FleetOptions {
  now?: () => number;
  onChange?(change: FleetChange): void;
}

const STOPPED: ConnectionState = { status: 'stopped' };


export class Fleet {
  private readonly sources = new Map<string, SourceRecord>();
  private readonly now: () => number;

  constructor(private readonly options: FleetOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Adds, updates and removes sources; an endpoint whose URL is unchanged keeps its hosts and history. */
  setSources(specs: readonly SourceSpec[]): void {
    const wanted = new Set(specs.map((spec) => spec.id));
    for (const id of this.sources.keys()) if (!wanted.has(id)) this.sources.delete(id);
    for (const spec of specs) {
      const record: SourceRecord = this.sources.get(spec.id) ?? { spec, endpoints: new Map(), events: new EventLog(), revision: 0 };
      record.spec = spec;
      this.invalidate(record);
      const urls = new Set(spec.endpoints.map((endpoint) => endpoint.url));
      for (const url of record.endpoints.keys()) if (!urls.has(url)) record.endpoints.delete(url);
      if (spec.endpoints.length > 0) delete record.detection;
      for (const endpoint of spec.endpoints) {
        if (!record.endpoints.has(endpoint.url)) record.endpoints.set(endpoint.url, { endpoint, state: STOPPED, everConnected: false, hosts: new Map() });
      }
      this.sources.set(spec.id, record);
    }
    this.changed({ kind: 'structure' });
  }

  setConnectionState(sourceId: string, url: string, state: ConnectionState): void {
    const source = this.sources.get(sourceId);
    const record = source?.endpoints.get(url);
    if (!source || !record) return;
    record.state = state;
    if (state.status === 'connected') record.everConnected = true;
    this.invalidate(source);
    this.changed({ kind: 'structure' });
  }

  /** How detection goes for a source that has no endpoints yet. */
  setDetectionState(sourceId: string, state: ConnectionState): void {
    const record = this.sources.get(sourceId);
    if (!record || record.spec.endpoints.length > 0) return;
    record.detection = state;
    this.invalidate(record);
    this.changed({ kind: 'structure' });
  }

  /** The sink one endpoint's connection writes into. */
  sinkFor(sourceId: string, url: string): SourceSink {
    const endpoint = (): EndpointRecord | undefined => this.sources.get(sourceId)?.endpoints.get(url);
    const structureChanged = (): void => {
      const source = this.sources.get(sourceId);
      if (source) this.invalidate(source);
      this.changed({ kind: 'structure' });
    };
    return {
      host: (info) => {
        const record = endpoint();
        if (!record) return;
        const known = record.hosts.get(info.id);
        if (known) {
          known.info = info;
          // A host its hub had dropped is back.
          if (known.gone) {
            known.gone = false;
            known.online = true;
          }
        } else {
          record.hosts.set(info.id, { protocol: record.endpoint.protocol, hostId: info.id, info, online: true, columns: new Set() });
        }
        structureChanged();
      },
      sample: (hostId, sample) => {
        const source = this.sources.get(sourceId);
        const host = source?.endpoints.get(url)?.hosts.get(hostId);
        if (!source || !host) return;
        const firstReading = host.latest === undefined;
        const columnsBefore = host.columns.size;
        host.latest = sample;
        host.latestColumns = sampleColumns(sample, host.info);
        host.receivedAtMs = this.now();
        for (const column in host.latestColumns) if (host.columns.size < MAX_COLUMNS) host.columns.add(column);
        // A first reading changes the machine's status, a new column what charts offer: more than the sample.
        if (firstReading || host.columns.size !== columnsBefore) this.invalidate(source);
        this.changed({ kind: 'sample', machineKey: this.refreshSample(source, host), sourceId });
      },
      event: (hostId, event) => this.recordEvent(sourceId, url, hostId, event),
      hostStatus: (hostId, online) => {
        const host = endpoint()?.hosts.get(hostId);
        if (!host || host.online === online) return;
        host.online = online;
        structureChanged();
      },
      // Nothing leaves the fleet unless the user removes it: a host its hub dropped stays, offline, and raises
      // the offline alert like any host that stops answering.
      hostRemoved: (hostId) => {
        const host = endpoint()?.hosts.get(hostId);
        if (!host || host.gone) return;
        host.gone = true;
        host.online = false;
        structureChanged();
      },
      history: (hostId, readings) => {
        const source = this.sources.get(sourceId);
        const host = source?.endpoints.get(url)?.hosts.get(hostId);
        if (!source || !host || readings.length === 0) return;
        const columnsBefore = host.columns.size;
        const past = readings.map(({ sample, spanMs }) => ({ timeMs: sample.timeMs, spanMs, values: sampleColumns(sample, host.info) }));
        for (const { values } of past) for (const column in values) if (host.columns.size < MAX_COLUMNS) host.columns.add(column);
        if (host.columns.size !== columnsBefore) this.invalidate(source);
        const built = this.built(source);
        this.changed({ kind: 'history', machineKey: built.keyOfPart.get(host) ?? sourceId, readings: past });
      },
      latency: (ms) => {
        const record = endpoint();
        if (!record || record.latencyMs === ms) return;
        record.latencyMs = ms;
        // Shown with the endpoint: part of the view, though not of the readings.
        const source = this.sources.get(sourceId);
        if (source) this.invalidate(source);
      },
    };
  }

  machines(): Machine[] {
    return [...this.sources.values()].flatMap((source) => this.built(source).machines);
  }

  /** The machines of one source: what changed when only that source sent a reading. */
  sourceMachines(sourceId: string): Machine[] {
    const source = this.sources.get(sourceId);
    return source ? this.built(source).machines : [];
  }

  /** Changes when anything of the machine's source but its readings does: the same revision means only `sample` moved. */
  revision(machine: Machine): number {
    return this.sources.get(machine.sourceId)?.revision ?? -1;
  }

  machine(key: string): Machine | undefined {
    return this.machines().find((machine) => machine.key === key);
  }

  /** The machine's newest reading as history columns. */
  sampleColumns(machine: Machine): Readonly<Record<string, number | undefined>> | undefined {
    const only = machine.parts.length === 1 ? machine.parts[0] : undefined;
    if (only?.latest !== undefined && only.latest === machine.sample) return only.latestColumns;
    return machine.sample ? sampleColumns(machine.sample, machine.info) : undefined;
  }

  /** Every column any of a machine's protocols has filled. */
  columns(machine: Machine): Set<string> {
    return new Set(machine.parts.flatMap((part) => [...part.columns]));
  }

  events(machine: Machine): LoggedEvent[] {
    return this.sources.get(machine.sourceId)?.events.events(this.belongsTo(machine)) ?? [];
  }

  tasks(machine: Machine): TaskRecord[] {
    return this.sources.get(machine.sourceId)?.events.tasks(this.belongsTo(machine)) ?? [];
  }

  private belongsTo(machine: Machine): (protocol: ProtocolId, hostId: string) => boolean {
    const mine = new Set(machine.parts.map((part) => `${part.protocol}\u0000${part.hostId}`));
    const primary = machine.key === machine.sourceId;
    const known = this.knownHostIds(machine.sourceId);
    // Events about no known host (a frame a client could not read) are shown on the source's main card.
    return (protocol, hostId) => mine.has(`${protocol}\u0000${hostId}`) || (primary && !known.has(`${protocol}\u0000${hostId}`));
  }

  private knownHostIds(sourceId: string): Set<string> {
    const known = new Set<string>();
    for (const endpoint of this.sources.get(sourceId)?.endpoints.values() ?? []) for (const host of endpoint.hosts.values()) known.add(`${host.protocol}\u0000${host.hostId}`);
    return known;
  }

  private recordEvent(sourceId: string, url: string, hostId: string, event: HostEvent): void {
    const source = this.sources.get(sourceId);
    const record = source?.endpoints.get(url);
    if (!source || !record) return;
    const entry = source.events.add(record.endpoint.protocol, hostId, event);
    const host = record.hosts.get(hostId);
    const built = this.built(source);
    const machineKey = (host && built.keyOfPart.get(host)) ?? sourceId;
    const machine = built.machines[built.byKey.get(machineKey)?.index ?? -1];
    this.changed({ kind: 'event', machineKey, entry, hostName: machine?.name ?? source.spec.name });
  }

  private machineKeyOf(sourceId: string, host: ProtocolHost): string {
    const source = this.sources.get(sourceId);
    if (!source || !isMultiHost(host.protocol)) return sourceId;
    const primaryName = this.primaryHostname(source);
    return primaryName !== undefined && sameHost(primaryName, host.info.hostname) ? sourceId : `${sourceId}/${host.protocol}:${host.hostId}`;
  }

  private primaryHostname(source: SourceRecord): string | undefined {
    const parts = [...source.endpoints.values()].filter((record) => !isMultiHost(record.endpoint.protocol)).flatMap((record) => [...record.hosts.values()]);
    return mergeInfo(parts)?.hostname;
  }

  private invalidate(source: SourceRecord): void {
    source.revision += 1;
    delete source.built;
  }

  private built(source: SourceRecord): BuiltMachines {
    if (source.built) return source.built;
    const built: BuiltMachines = { machines: [], byKey: new Map(), keyOfPart: new Map() };
    for (const { key, parts, records } of this.groupsOf(source)) {
      const onlineParts = parts.filter((part) => part.online && this.endpointOf(source, part)?.state.status === 'connected');
      built.byKey.set(key, { index: built.machines.length, onlineParts });
      for (const part of parts) built.keyOfPart.set(part, key);
      built.machines.push(this.machineOf(source, key, parts, records, onlineParts));
    }
    source.built = built;
    return built;
  }

  /** Puts a host's new reading into its machine's merged sample; returns the machine's key. */
  private refreshSample(source: SourceRecord, host: ProtocolHost): string {
    const built = this.built(source);
    const key = built.keyOfPart.get(host) ?? source.spec.id;
    const entry = built.byKey.get(key);
    const machine = entry && built.machines[entry.index];
    if (!entry || !machine || !entry.onlineParts.includes(host)) return key;
    // In place: a thousand readings a second would otherwise copy a thousand machines.
    machine.sample = mergeOnline(entry.onlineParts) ?? machine.sample;
    return key;
  }

  private groupsOf(source: SourceRecord): { key: string; parts: ProtocolHost[]; records: EndpointRecord[] }[] {
    const endpoints = [...source.endpoints.values()];
    // A server still being looked for gets its card now, so the search shows where the readings will be.
    if (endpoints.length === 0) return [{ key: source.spec.id, parts: [], records: [] }];
    const single = endpoints.filter((record) => !isMultiHost(record.endpoint.protocol));
    const groups = new Map<string, { parts: ProtocolHost[]; records: Set<EndpointRecord> }>();
    const group = (key: string): { parts: ProtocolHost[]; records: Set<EndpointRecord> } => {
      let found = groups.get(key);
      if (!found) groups.set(key, (found = { parts: [], records: new Set() }));
      return found;
    };
    if (single.length > 0) for (const record of single) group(source.spec.id).records.add(record);
    for (const record of endpoints) {
      for (const host of record.hosts.values()) {
        const entry = group(this.machineKeyOf(source.spec.id, host));
        entry.parts.push(host);
        entry.records.add(record);
      }
    }
    // A hub that has not reported any host yet still gets a card, so its connection state is visible.
    if (groups.size === 0 && endpoints.length > 0) for (const record of endpoints) group(source.spec.id).records.add(record);
    return [...groups].map(([key, { parts, records }]) => ({ key, parts: byPriority(parts), records: [...records] }));
  }

  private machineOf(source: SourceRecord, key: string, parts: ProtocolHost[], records: EndpointRecord[], onlineParts: ProtocolHost[]): Machine {
    const primary = key === source.spec.id;
    const info = mergeInfo(parts);
    const sample = mergeOnline(onlineParts);
    const protocols = byPriority(records.map((record) => record.endpoint)).map((endpoint) => endpoint.protocol);
    const capabilities = [...new Set(protocols.flatMap((protocol) => PROTOCOLS[protocol].capabilities))];
    const hostName = info?.name ?? info?.hostname;
    const name = primary && !source.spec.local && source.spec.name ? source.spec.name : (hostName ?? source.spec.name);
    const { status, statusText } = records.length === 0 ? detectionStatus(source.detection) : machineStatus(records, parts, onlineParts);
    const readings = onlineParts.flatMap((part) => (part.latest ? [{ protocol: part.protocol, sample: part.latest }] : []));
    return {
      key,
      sourceId: source.spec.id,
      sourceName: source.spec.name,
      // Hosts pushing to this computer's vStats hub are other machines.
      local: source.spec.local && primary,
      name,
      ...(!primary && parts[0] ? { hubHostId: parts[0].hostId } : {}),
      protocols: [...new Set(protocols)],
      tags: uniqueTags([...(source.spec.tags ?? []), ...(info?.location ? [info.location] : [])]),
      endpoints: records.map((record) => ({ protocol: record.endpoint.protocol, url: record.endpoint.url, state: record.state, everConnected: record.everConnected, ...(record.latencyMs !== undefined ? { latencyMs: record.latencyMs } : {}) })),
      ...(records.length === 0 && source.spec.detectInput !== undefined ? { detectInput: source.spec.detectInput } : {}),
      ...(info ? { info } : {}),
      ...(sample ? { sample } : {}),
      ...(new Set(readings.map((reading) => reading.protocol)).size > 1 ? { figureSources: figureSources(readings) } : {}),
      status,
      ...(statusText ? { statusText } : {}),
      capabilities,
      parts,
    };
  }

  private endpointOf(source: SourceRecord, part: ProtocolHost): EndpointRecord | undefined {
    for (const record of source.endpoints.values()) if (record.hosts.get(part.hostId) === part) return record;
    return undefined;
  }

  private changed(change: FleetChange): void {
    this.options.onChange?.(change);
  }
}

function mergeOnline(onlineParts: readonly ProtocolHost[]): Sample | undefined {
  if (onlineParts.length === 1) return onlineParts[0]!.latest;
  return mergeSamples(onlineParts.flatMap((part) => (part.latest ? [{ protocol: part.protocol, sample: part.latest }] : [])));
}

function sameHost(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();
}

function detectionStatus(state: ConnectionState | undefined): { status: MachineStatus; statusText: string } {
  if (state?.status === 'auth-required') return { status: 'auth-required', statusText: state.reason };
  if (state?.status === 'failed') return { status: 'failed', statusText: state.reason };
  return { status: 'detecting', statusText: state?.status === 'detecting' ? state.detail : 'Waiting to look for it…' };
}

function machineStatus(records: EndpointRecord[], parts: ProtocolHost[], onlineParts: ProtocolHost[]): { status: MachineStatus; statusText?: string } {
  if (onlineParts.some((part) => part.latest)) return { status: 'online' };
  const states = records.map((record) => record.state);
  const auth = states.find((state) => state.status === 'auth-required');
  if (auth && auth.status === 'auth-required') return { status: 'auth-required', statusText: auth.reason };
  if (states.some((state) => state.status === 'connected')) {
    const hubSaysOffline = parts.length > 0 && parts.every((part) => !part.online);
    return hubSaysOffline ? { status: 'offline', statusText: 'The hub reports this host offline.' } : { status: 'connecting', statusText: 'Connected; waiting for the first reading.' };
  }
  const failed = states.filter((state) => state.status === 'failed');
  if (failed.length === states.length && failed[0]?.status === 'failed') return { status: 'failed', statusText: failed[0].reason };
  const retrying = records.find((record) => record.state.status === 'reconnecting');
  if (retrying?.state.status === 'reconnecting') {
    const wasUp = records.some((record) => record.everConnected);
    // Browsers hide a refused upgrade's 401: a credentialed protocol that never opened may have a wrong one.
    const hint = !retrying.everConnected && CREDENTIALED_IDS.includes(retrying.endpoint.protocol) ? ' If it needs a secret or token, check it under Servers.' : '';
    // One failed first attempt is still "connecting"; a host never reached after several is down.
    const down = wasUp || retrying.state.attempt > 1;
    return { status: down ? 'offline' : 'connecting', statusText: `${retrying.state.reason} Retrying in ${Math.ceil(retrying.state.retryInMs / 1000)} s.${hint}` };
  }
  // A retry to a host that went away can hang in connecting for a while: it is still down until it answers.
  // Counted as the retries above are: down once it was up, or after more than one failed attempt.
  const stillDown = records.some((record) => record.state.status === 'connecting' && (record.everConnected ? record.state.attempt > 1 : record.state.attempt > 2));
  if (stillDown) return { status: 'offline', statusText: 'No answer yet; trying to reconnect…' };
  return { status: 'connecting', statusText: 'Connecting…' };
}
