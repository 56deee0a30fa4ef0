import { describe, expect, it } from 'vitest';
import type { Sample, Snapshot } from '../../../proto/model';
import { BACKFILL_RETAIN_MS, HISTORY_READINGS_PER_FRAME, Hub, MAX_RELAYED_DISKS, REPLACED_CLOSE_CODE, type AgentLink } from './hub';

const local: Snapshot = {
  host: { id: 'hub-host', hostname: 'hub-host', cpu: { model: 'x', cores: 4 }, memoryTotalBytes: 1000 },
  sample: { timeMs: 0, cpu: { totalPercent: 5 }, memory: { usedPercent: 10, totalBytes: 1000, usedBytes: 100 } },
};

function setup(options: { maxAgents?: number } = {}) {
  let nowMs = 1_000_000;
  const frames: { type: string; data: Record<string, unknown> }[] = [];
  const hub = new Hub({
    local,
    offlineAfterMs: 30_000,
    removeAfterMs: 300_000,
    maxAgents: options.maxAgents ?? 10,
    publish: (frame) => frames.push(JSON.parse(frame) as (typeof frames)[number]),
    publishAll: (all) => frames.push(...all.map((frame) => JSON.parse(frame) as (typeof frames)[number])),
    now: () => nowMs,
  });
  return {
    hub,
    frames,
    types: () => frames.map((frame) => `${frame.type}:${String(frame.data.id ?? frame.data.server_id)}${frame.type === 'status' ? `=${String(frame.data.online)}` : ''}`),
    advance: (ms: number) => {
      nowMs += ms;
      hub.sweep();
    },
  };
}

const pushed = (cpu: number, extra: Partial<Sample> = {}): Sample => ({ timeMs: 1_000_000, cpu: { totalPercent: cpu }, ...extra });
const link = (): AgentLink & { closed: [number, string][] } => {
  const closed: [number, string][] = [];
  return { closed, close: (code, reason) => closed.push([code, reason]) };
};

describe('vstats hub state', () => {
  it('announces a new agent with server_added and status online before its first metrics', () => {
    const { hub, types, frames } = setup();
    expect(hub.agentMetrics('a', { hostname: 'alpha' }, pushed(1))).toBe('ok');
    expect(types()).toEqual(['server_added:a', 'status:a=true', 'metrics:a']);
    expect(frames[0]!.data).toEqual({ id: 'a', name: 'alpha', location: '' });
    hub.agentMetrics('a', { hostname: 'alpha' }, pushed(2));
    expect(types().slice(3)).toEqual(['metrics:a']);
  });

  it('goes offline after offline-after without metrics, comes back with the next metrics, and is removed after remove-after', () => {
    const { hub, types, advance } = setup();
    hub.agentMetrics('a', {}, pushed(1));
    advance(29_000);
    expect(types()).toHaveLength(3);
    advance(1000);
    expect(types().at(-1)).toBe('status:a=false');
    hub.agentMetrics('a', {}, pushed(1));
    expect(types().slice(-2)).toEqual(['status:a=true', 'metrics:a']);
    advance(299_000);
    expect(types().at(-1)).toBe('status:a=false');
    advance(1000);
    expect(types().at(-1)).toBe('server_removed:a');
    expect(hub.agentCount).toBe(0);
    expect(hub.snapshotFrames()).toHaveLength(3);
  });

  it('gives a new dashboard every server, this machine first, each with server_added, status and its latest metrics', () => {
    const { hub, advance } = setup();
    hub.agentMetrics('b', { hostname: 'beta' }, pushed(7));
    advance(30_000);
    const snapshot = hub.snapshotFrames().map((frame) => JSON.parse(frame) as { type: string; data: Record<string, unknown> });
    expect(snapshot.map((frame) => frame.type)).toEqual(['server_added', 'status', 'metrics', 'server_added', 'status', 'metrics']);
    expect(snapshot[0]!.data).toEqual({ id: 'hub-host', name: 'hub-host', location: '' });
    expect(snapshot[4]!.data).toEqual({ server_id: 'b', online: false });
    expect(snapshot[5]!.data).toMatchObject({ server_id: 'b', metrics: { cpu: { usage: 7 } } });
  });

  it('lets the newest connection of a server id take over and refuses this machine’s own id', () => {
    const { hub, types } = setup();
    const first = link();
    const second = link();
    expect(hub.claim('a', first)).toBe('ok');
    hub.agentMetrics('a', {}, pushed(1));
    expect(hub.claim('a', second)).toBe('ok');
    expect(first.closed).toEqual([[REPLACED_CLOSE_CODE, 'replaced by a newer connection for this server id']]);
    hub.release('a', first);
    hub.agentMetrics('a', {}, pushed(2));
    expect(types().filter((type) => type.startsWith('server_'))).toEqual(['server_added:a']);
    expect(hub.claim('hub-host', link())).toBe('reserved');
  });

  it('bounds relayed agents: the longest-offline one makes room, and none does while all are online', () => {
    const { hub, types, advance } = setup({ maxAgents: 2 });
    hub.agentMetrics('a', {}, pushed(1));
    advance(10_000);
    hub.agentMetrics('b', {}, pushed(1));
    expect(hub.agentMetrics('c', {}, pushed(1))).toBe('full');
    advance(25_000);
    expect(types().at(-1)).toBe('status:a=false');
    expect(hub.agentMetrics('c', {}, pushed(1))).toBe('ok');
    expect(types().slice(-4)).toEqual(['server_removed:a', 'server_added:c', 'status:c=true', 'metrics:c']);
  });

  it('turns the cumulative counters of documented agents into bytes per second', () => {
    const { hub, frames } = setup();
    hub.agentMetrics('a', {}, pushed(1, { timeMs: 10_000, network: { rxTotalBytes: 1000, txTotalBytes: 500 } }));
    hub.agentMetrics('a', {}, pushed(1, { timeMs: 12_000, network: { rxTotalBytes: 5000, txTotalBytes: 700 } }));
    hub.agentMetrics('a', {}, pushed(1, { timeMs: 13_000, network: { rxTotalBytes: 100, txTotalBytes: 100 } }));
    const network = frames.filter((frame) => frame.type === 'metrics').map((frame) => (frame.data.metrics as { network: unknown }).network);
    expect(network).toEqual([
      { rx: 0, tx: 0, total_rx: 1000, total_tx: 500 },
      { rx: 2000, tx: 100, total_rx: 5000, total_tx: 700 },
      { rx: 0, tx: 0, total_rx: 100, total_tx: 100 },
    ]);
  });

  it('relays a backfill at its own times in frames of at most HISTORY_READINGS_PER_FRAME, announcing an agent not seen yet, and remembers the newest time for last_seen', () => {
    const { hub, frames, types } = setup();
    expect(hub.lastSeenMs('a')).toBeUndefined();
    const readings = Array.from({ length: HISTORY_READINGS_PER_FRAME + 5 }, (_, index) => ({ sample: { timeMs: 500_000 + index * 1000, cpu: { totalPercent: index } }, spanMs: 1000 }));
    expect(hub.agentBackfill('a', readings.reverse())).toBe('ok');
    expect(types()).toEqual(['server_added:a', 'status:a=true', 'history:a', 'history:a']);
    const relayed = frames.filter((frame) => frame.type === 'history').map((frame) => frame.data.readings as { timestamp: string; interval: number; metrics: { cpu: { usage: number } } }[]);
    expect(relayed.map((batch) => batch.length)).toEqual([HISTORY_READINGS_PER_FRAME, 5]);
    expect(relayed[0]![0]).toMatchObject({ timestamp: new Date(500_000).toISOString(), interval: 1, metrics: { cpu: { usage: 0 } } });
    expect(hub.lastSeenMs('a')).toBe(500_000 + (HISTORY_READINGS_PER_FRAME + 4) * 1000);
    // A dashboard connecting now is not sent an empty metrics frame for an agent that only backfilled.
    expect(hub.snapshotFrames().every((frame) => frame.length > 0)).toBe(true);
    hub.agentMetrics('a', {}, pushed(1, { timeMs: 900_000 }));
    expect(hub.lastSeenMs('a')).toBe(900_000);
  });

  it('relays only buckets newer than those relayed before (real agents resend their whole history every minute), and names them per granularity', () => {
    const { hub, frames } = setup();
    const bucket = (startMs: number, spanMs: number, cpu: number) => ({ sample: { timeMs: startMs, cpu: { totalPercent: cpu } }, spanMs });
    const history = () => frames.filter((frame) => frame.type === 'history').flatMap((frame) => frame.data.readings as { timestamp: string; interval: number }[]);
    hub.agentBackfill('a', [bucket(100_000, 5000, 1), bucket(105_000, 5000, 2), bucket(0, 120_000, 3)]);
    expect(history()).toHaveLength(3);
    hub.agentBackfill('a', [bucket(100_000, 5000, 1), bucket(105_000, 5000, 2), bucket(110_000, 5000, 4), bucket(0, 120_000, 3), bucket(120_000, 120_000, 5)]);
    expect(history().slice(3).map((reading) => [reading.timestamp, reading.interval])).toEqual([
      [new Date(110_000).toISOString(), 5],
      [new Date(120_000).toISOString(), 120],
    ]);
    expect([...hub.lastBuckets('a')]).toEqual([
      [5000, 110_000],
      [120_000, 120_000],
    ]);
    // Too big to take: every granularity counts as held up to now, so a real agent does not send it again.
    hub.skipBackfill('a');
    expect(hub.lastBuckets('a').get(86_400_000)).toBe(1_000_000);
  });

  it('keeps recent backfills for dashboards that connect later, for BACKFILL_RETAIN_MS', () => {
    const { hub, advance } = setup();
    expect(hub.recentBackfills()).toEqual([]);
    hub.agentBackfill('a', [{ sample: { timeMs: 1000, cpu: { totalPercent: 1 } }, spanMs: 1000 }]);
    advance(BACKFILL_RETAIN_MS / 2);
    hub.agentBackfill('b', [{ sample: { timeMs: 2000, cpu: { totalPercent: 2 } }, spanMs: 1000 }]);
    expect(hub.recentBackfills().map((frame) => (JSON.parse(frame) as { data: { server_id: string } }).data.server_id)).toEqual(['a', 'b']);
    advance(BACKFILL_RETAIN_MS / 2 + 1);
    expect(hub.recentBackfills().map((frame) => (JSON.parse(frame) as { data: { server_id: string } }).data.server_id)).toEqual(['b']);
  });

  it('relays at most MAX_RELAYED_DISKS disks of an agent', () => {
    const { hub, frames } = setup();
    const disks = Array.from({ length: MAX_RELAYED_DISKS + 10 }, (_, index) => ({ name: `disk${index}`, totalBytes: 10, usedBytes: 5 }));
    hub.agentMetrics('a', {}, pushed(1, { disks }));
    const relayed = frames.find((frame) => frame.type === 'metrics')!.data.metrics as { disks: { name: string }[] };
    expect(relayed.disks.map((disk) => disk.name)).toEqual(disks.slice(0, MAX_RELAYED_DISKS).map((disk) => disk.name));
  });

  it('publishes this machine’s fresh metrics and reports how old they are', () => {
    const { hub, types, advance } = setup();
    advance(4000);
    expect(hub.localAgeMs()).toBe(4000);
    hub.setLocal({ ...local, sample: { ...local.sample, cpu: { totalPercent: 50 } } });
    expect(types()).toEqual(['metrics:hub-host']);
    expect(hub.localAgeMs()).toBe(0);
  });
});
