// vStats dashboard client: one connection, many hosts (host id = server_id). Reads the documented envelopes
// and the real hubs' snapshot + delta stream and legacy `servers[]`; sends nothing (the hub speaks first).

import type { ClientSession, ProtocolClient, SourceSink } from '../client';
import type { HostInfo, Sample } from '../model';
import { PROTOCOLS } from '../protocols';
import { applyCompact, compactFromSample, sampleFromCompact, type CompactValues } from './compact';
import { decodeDashboardFrame, type DashboardFrame, type ServerState } from './decode';
import type { HostFacts } from './metrics-schema';

/** A hostile hub cannot make the client track more servers than this. */
export const MAX_HOSTS = 5000;

interface KnownHost {
  info: HostInfo;
  online?: boolean;
  /** The last full figures, to which a `delta` applies. */
  compact: CompactValues;
}

interface HostPatch {
  name?: string;
  location?: string;
  facts?: HostFacts;
}

class VstatsSession implements ClientSession {
  private readonly hosts = new Map<string, KnownHost>();
  /** Server ids seen since the last stream_init, while a snapshot is arriving. */
  private snapshotIds: Set<string> | undefined;

  constructor(private readonly sink: SourceSink) {}

  onMessage(data: string | Uint8Array): void {
    if (typeof data !== 'string') return;
    const frame = decodeDashboardFrame(data, Date.now());
    if (frame) this.apply(frame);
  }

  dispose(): void {}

  private apply(frame: DashboardFrame): void {
    switch (frame.kind) {
      case 'server_added':
        this.announce(frame.id, { name: frame.name, location: frame.location });
        return;
      case 'status':
        if (this.announce(frame.id, {})) this.status(frame.id, frame.online);
        return;
      case 'server_removed':
        this.remove(frame.id);
        return;
      case 'metrics':
        if (this.announce(frame.id, { facts: frame.host })) this.sample(frame.id, frame.sample);
        return;
      case 'stream_init':
        this.snapshotIds = new Set();
        return;
      case 'stream_server':
        this.snapshotIds?.add(frame.server.id);
        this.server(frame.server);
        return;
      case 'stream_end':
        if (this.snapshotIds) this.removeAllBut(this.snapshotIds);
        this.snapshotIds = undefined;
        return;
      case 'servers':
        // The legacy message lists every server each time: one it no longer lists is gone.
        for (const server of frame.servers) this.server(server);
        this.removeAllBut(new Set(frame.servers.map((server) => server.id)));
        return;
      case 'history':
        if (this.hosts.has(frame.id) && frame.readings.length > 0) this.sink.history(frame.id, frame.readings);
        return;
      case 'delta':
        for (const update of frame.updates) {
          if (!this.announce(update.id, {})) continue;
          if (update.online !== undefined) this.status(update.id, update.online);
          if (Object.keys(update.values).length === 0) continue;
          const known = this.hosts.get(update.id)!;
          known.compact = applyCompact(known.compact, update.values);
          this.sink.sample(update.id, sampleFromCompact(known.compact, frame.timeMs, known.info.memoryTotalBytes));
        }
        return;
    }
  }

  private server(server: ServerState): void {
    if (!this.announce(server.id, { name: server.name, location: server.location, facts: server.host })) return;
    if (server.online !== undefined) this.status(server.id, server.online);
    if (server.sample) this.sample(server.id, server.sample);
  }

  /** Creates or updates a host and tells the sink when its info changed; false when the bound refuses a new one. */
  private announce(id: string, patch: HostPatch): boolean {
    const known = this.hosts.get(id);
    if (!known && this.hosts.size >= MAX_HOSTS) return false;
    const previous = known?.info;
    const facts = patch.facts ?? {};
    const info: HostInfo = { ...previous, ...definedOnly(facts), id, hostname: facts.hostname ?? previous?.hostname ?? patch.name ?? id };
    if (patch.name && patch.name !== info.hostname) info.name = patch.name;
    if (patch.location) info.location = patch.location;
    if (known) {
      if (JSON.stringify(previous) === JSON.stringify(info)) return true;
      known.info = info;
    } else {
      this.hosts.set(id, { info, compact: {} });
    }
    this.sink.host(info);
    return true;
  }

  private status(id: string, online: boolean): void {
    const known = this.hosts.get(id);
    if (!known || known.online === online) return;
    known.online = online;
    this.sink.hostStatus(id, online);
  }

  private sample(id: string, sample: Sample): void {
    const known = this.hosts.get(id);
    if (!known) return;
    known.compact = applyCompact(known.compact, compactFromSample(sample));
    this.sink.sample(id, sample);
  }

  private remove(id: string): void {
    if (!this.hosts.delete(id)) return;
    this.sink.hostRemoved(id);
  }

  private removeAllBut(keep: ReadonlySet<string>): void {
    for (const id of [...this.hosts.keys()]) if (!keep.has(id)) this.remove(id);
  }
}

function definedOnly(facts: HostFacts): HostFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as HostFacts;
}

export const vstatsClient: ProtocolClient = {
  id: 'vstats',
  capabilities: PROTOCOLS.vstats.capabilities,
  probe: null,

  fingerprint(data) {
    if (typeof data !== 'string') return null;
    const frame = decodeDashboardFrame(data, 0);
    switch (frame?.kind) {
      case 'stream_init':
        return 'sent stream_init unprompted';
      case 'stream_server':
        return 'sent stream_server unprompted';
      case 'delta':
        return 'sent delta unprompted';
      case 'metrics':
        return 'sent metrics with data.server_id';
      case 'servers':
        return 'sent metrics with servers[]';
      default:
        return null;
    }
  },

  open({ sink }) {
    return new VstatsSession(sink);
  },
};
