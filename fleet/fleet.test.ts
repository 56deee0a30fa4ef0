import { describe, expect, it } from 'vitest';
import type { Sample } from '../proto/model';
import { Fleet, type FleetChange, type SourceSpec } from './fleet';
import { mergeSamples } from './merge';

const connected = { status: 'connected', sinceMs: 0 } as const;

function server(id: string, protocols: [string, string][], name = ''): SourceSpec {
  return { id, name, local: false, endpoints: protocols.map(([protocol, url]) => ({ protocol: protocol as never, url })) };
}

describe('mergeSamples', () => {
  it('takes each field from the richest protocol that carries it', () => {
    const socktop: Sample = { timeMs: 2000, cpu: { totalPercent: 30, perCorePercent: [20, 40] }, memory: { usedPercent: 50, swapTotalBytes: 10, swapUsedBytes: 5 } };
    const sysmedic: Sample = { timeMs: 1000, cpu: { totalPercent: 33, load: [1, 2, 3] }, memory: { usedPercent: 52 }, uptimeSec: 99, diskUsedPercent: 70 };
    const merged = mergeSamples([
      { protocol: 'sysmedic', sample: sysmedic },
      { protocol: 'socktop', sample: socktop },
    ])!;
    expect(merged.cpu).toEqual({ totalPercent: 30, perCorePercent: [20, 40], load: [1, 2, 3] });
    expect(merged.memory).toEqual({ usedPercent: 50, swapTotalBytes: 10, swapUsedBytes: 5 });
    expect(merged.uptimeSec).toBe(99);
    expect(merged.diskUsedPercent).toBe(70);
    expect(merged.timeMs).toBe(2000);
  });

  it('prefers a protocol that lists GPUs over one that sends an empty list', () => {
    const merged = mergeSamples([
      { protocol: 'socktop', sample: { timeMs: 1, gpus: [] } },
      { protocol: 'gpu-usage', sample: { timeMs: 1, gpus: [{ index: 0, utilizationPercent: 80 }] } },
    ])!;
    expect(merged.gpus).toEqual([{ index: 0, utilizationPercent: 80 }]);
  });
});

describe('Fleet', () => {
  it('merges the single-host protocols of one server into one machine keyed by the server id', () => {
    const fleet = new Fleet();
    fleet.setSources([server('srv-a', [['gpu-usage', 'ws://h:1/usage'], ['sysmedic', 'ws://h:2/ws']])]);
    for (const url of ['ws://h:1/usage', 'ws://h:2/ws']) fleet.setConnectionState('srv-a', url, connected);
    fleet.sinkFor('srv-a', 'ws://h:1/usage').host({ id: 'h:1', hostname: 'box' });
    fleet.sinkFor('srv-a', 'ws://h:1/usage').sample('h:1', { timeMs: 1000, cpu: { totalPercent: 10 }, gpus: [{ index: 0, utilizationPercent: 60 }] });
    fleet.sinkFor('srv-a', 'ws://h:2/ws').host({ id: 'h:2', hostname: 'box', serverStatus: 'healthy' });
    fleet.sinkFor('srv-a', 'ws://h:2/ws').sample('h:2', { timeMs: 1500, cpu: { totalPercent: 12, load: [1, 1, 1] }, uptimeSec: 5 });

    const machines = fleet.machines();
    expect(machines).toHaveLength(1);
    const [machine] = machines;
    expect(machine!.key).toBe('srv-a');
    expect(machine!.status).toBe('online');
    expect(machine!.protocols).toEqual(['gpu-usage', 'sysmedic']);
    expect(machine!.sample!.cpu).toEqual({ totalPercent: 10, load: [1, 1, 1] });
    expect(machine!.sample!.uptimeSec).toBe(5);
    expect(machine!.info!.serverStatus).toBe('healthy');
    expect(fleet.columns(machine!)).toEqual(new Set(['cpu', 'gpu.util', 'gpu.0.util', 'load.1']));
    // Each figure names the protocol it came from: the richest that carries it.
    expect(machine!.figureSources).toEqual({ cpu: 'gpu-usage', gpus: 'gpu-usage', load: 'sysmedic', uptime: 'sysmedic' });
  });

  it('keeps a machine\'s revision through readings and moves it when anything else changes', () => {
    const fleet = new Fleet();
    fleet.setSources([server('srv-a', [['gpu-usage', 'ws://h:1/usage'], ['sysmedic', 'ws://h:2/ws']])]);
    for (const url of ['ws://h:1/usage', 'ws://h:2/ws']) fleet.setConnectionState('srv-a', url, connected);
    const usage = fleet.sinkFor('srv-a', 'ws://h:1/usage');
    usage.host({ id: 'h:1', hostname: 'box' });
    usage.sample('h:1', { timeMs: 1000, cpu: { totalPercent: 10 } });
    const first = fleet.machines()[0]!;
    const revision = fleet.revision(first);

    usage.sample('h:1', { timeMs: 2000, cpu: { totalPercent: 20 } });
    const second = fleet.machines()[0]!;
    expect(fleet.revision(second)).toBe(revision);
    expect(second.sample!.cpu!.totalPercent).toBe(20);
    expect(second.status).toBe('online');

    // A reading that brings a new column changes what charts offer: more than the sample.
    usage.sample('h:1', { timeMs: 3000, cpu: { totalPercent: 20 }, gpus: [{ index: 0, utilizationPercent: 5 }] });
    expect(fleet.revision(fleet.machines()[0]!)).not.toBe(revision);
    const withGpu = fleet.revision(fleet.machines()[0]!);
    fleet.setConnectionState('srv-a', 'ws://h:2/ws', { status: 'reconnecting', attempt: 1, retryInMs: 1000, reason: 'gone' });
    expect(fleet.revision(fleet.machines()[0]!)).not.toBe(withGpu);
    expect(fleet.sampleColumns(fleet.machines()[0]!)).toEqual({ cpu: 20, 'gpu.util': 5, 'gpu.0.util': 5 });
  });

  it('gives each host of a vStats hub its own card, with stable keys', () => {
    const fleet = new Fleet();
    const url = 'ws://hub:3001/ws';
    fleet.setSources([server('srv-hub', [['vstats', url]], 'Lab hub')]);
    expect(fleet.machines().map((machine) => [machine.key, machine.status])).toEqual([['srv-hub', 'connecting']]);
    fleet.setConnectionState('srv-hub', url, connected);
    const sink = fleet.sinkFor('srv-hub', url);
    sink.host({ id: 'a1', hostname: 'alpha' });
    sink.host({ id: 'b2', hostname: 'beta' });
    sink.sample('a1', { timeMs: 1, cpu: { totalPercent: 1 } });
    sink.sample('b2', { timeMs: 1, cpu: { totalPercent: 2 } });
    expect(fleet.machines().map((machine) => [machine.key, machine.name, machine.status, machine.hubHostId])).toEqual([
      ['srv-hub/vstats:a1', 'alpha', 'online', 'a1'],
      ['srv-hub/vstats:b2', 'beta', 'online', 'b2'],
    ]);
    sink.hostStatus('b2', false);
    expect(fleet.machine('srv-hub/vstats:b2')!.status).toBe('offline');
    // A host the hub drops stays in the fleet, offline, until it comes back.
    sink.hostRemoved('a1');
    expect(fleet.machines().map((machine) => [machine.key, machine.status])).toEqual([
      ['srv-hub/vstats:a1', 'offline'],
      ['srv-hub/vstats:b2', 'offline'],
    ]);
    sink.host({ id: 'a1', hostname: 'alpha' });
    sink.sample('a1', { timeMs: 2, cpu: { totalPercent: 3 } });
    expect(fleet.machine('srv-hub/vstats:a1')!.status).toBe('online');
  });

  it("tags each host of a server with the server's tags, then with what its source says (a vStats location)", () => {
    const fleet = new Fleet();
    const url = 'ws://hub:3001/ws';
    fleet.setSources([{ ...server('srv-hub', [['vstats', url]], 'Lab hub'), tags: ['lab', 'Frankfurt'] }]);
    fleet.setConnectionState('srv-hub', url, connected);
    const sink = fleet.sinkFor('srv-hub', url);
    sink.host({ id: 'a1', hostname: 'alpha', location: 'frankfurt' });
    sink.host({ id: 'b2', hostname: 'beta', location: 'Paris' });
    sink.host({ id: 'c3', hostname: 'gamma' });
    expect(fleet.machines().map((machine) => [machine.name, machine.tags])).toEqual([
      ['alpha', ['lab', 'Frankfurt']],
      ['beta', ['lab', 'Frankfurt', 'Paris']],
      ['gamma', ['lab', 'Frankfurt']],
    ]);
  });

  it('passes a host`s backfill on as history columns of its machine, without touching its latest reading', () => {
    const changes: FleetChange[] = [];
    const fleet = new Fleet({ onChange: (change) => changes.push(change) });
    const url = 'ws://hub:3001/ws';
    fleet.setSources([server('srv-hub', [['vstats', url]], 'Lab hub')]);
    fleet.setConnectionState('srv-hub', url, connected);
    const sink = fleet.sinkFor('srv-hub', url);
    sink.host({ id: 'b2', hostname: 'beta' });
    sink.sample('b2', { timeMs: 9000, cpu: { totalPercent: 2 } });
    sink.history('b2', [
      { sample: { timeMs: 1000, cpu: { totalPercent: 40, load: [1.5, 1, 1] } }, spanMs: 1000 },
      { sample: { timeMs: 5000, cpu: { totalPercent: 20 }, diskUsedPercent: 70 }, spanMs: 5000 },
    ]);
    sink.history('unknown', [{ sample: { timeMs: 1000 }, spanMs: 1000 }]);
    expect(changes.filter((change) => change.kind === 'history')).toEqual([
      {
        kind: 'history',
        machineKey: 'srv-hub/vstats:b2',
        readings: [
          { timeMs: 1000, spanMs: 1000, values: { cpu: 40, 'load.1': 1.5 } },
          { timeMs: 5000, spanMs: 5000, values: { cpu: 20, disk: 70 } },
        ],
      },
    ]);
    const machine = fleet.machine('srv-hub/vstats:b2')!;
    expect(machine.sample).toEqual({ timeMs: 9000, cpu: { totalPercent: 2 } });
    // Columns only the backfill had are offered to charts.
    expect([...fleet.columns(machine)].sort()).toEqual(['cpu', 'disk', 'load.1']);
  });

  it('folds a hub host with the same hostname into the machine the single-host protocols describe', () => {
    const fleet = new Fleet();
    fleet.setSources([server('s', [['socktop', 'ws://h:3000/ws'], ['vstats', 'ws://h:3001/ws']])]);
    for (const url of ['ws://h:3000/ws', 'ws://h:3001/ws']) fleet.setConnectionState('s', url, connected);
    fleet.sinkFor('s', 'ws://h:3000/ws').host({ id: 'h:3000', hostname: 'Box' });
    fleet.sinkFor('s', 'ws://h:3001/ws').host({ id: 'uuid-1', hostname: 'box', os: { name: 'Linux' } });
    fleet.sinkFor('s', 'ws://h:3001/ws').host({ id: 'uuid-2', hostname: 'other' });
    expect(fleet.machines().map((machine) => [machine.key, machine.parts.length])).toEqual([
      ['s', 2],
      ['s/vstats:uuid-2', 1],
    ]);
    expect(fleet.machine('s')!.info!.os).toEqual({ name: 'Linux' });
  });

  it('says why a machine is not online', () => {
    const fleet = new Fleet();
    const url = 'ws://h:8060/ws';
    fleet.setSources([server('s', [['sysmedic', url]])]);
    fleet.setConnectionState('s', url, { status: 'auth-required', reason: 'The server refused the credentials (401).' });
    expect(fleet.machine('s')).toMatchObject({ status: 'auth-required', statusText: 'The server refused the credentials (401).' });
    fleet.setConnectionState('s', url, { status: 'reconnecting', attempt: 1, retryInMs: 2000, reason: 'Could not connect.' });
    expect(fleet.machine('s')).toMatchObject({ status: 'connecting', statusText: 'Could not connect. Retrying in 2 s. If it needs a secret or token, check it under Servers.' });
    fleet.setConnectionState('s', url, { status: 'reconnecting', attempt: 2, retryInMs: 4000, reason: 'Could not connect.' });
    expect(fleet.machine('s')!.status).toBe('offline');
    fleet.setConnectionState('s', url, connected);
    fleet.sinkFor('s', url).host({ id: 'h:8060', hostname: 'h' });
    fleet.sinkFor('s', url).sample('h:8060', { timeMs: 1, cpu: { totalPercent: 1 } });
    expect(fleet.machine('s')!.status).toBe('online');
    fleet.setConnectionState('s', url, { status: 'reconnecting', attempt: 1, retryInMs: 1000, reason: 'Connection closed: the connection failed or dropped without a word from the server.' });
    expect(fleet.machine('s')).toMatchObject({ status: 'offline', statusText: 'Connection closed: the connection failed or dropped without a word from the server. Retrying in 1 s.' });
    expect(fleet.machine('s')!.sample).toBeUndefined();
    fleet.setConnectionState('s', url, { status: 'connecting', attempt: 2 });
    expect(fleet.machine('s')).toMatchObject({ status: 'offline', statusText: 'No answer yet; trying to reconnect…' });
  });

  it('gives a server still being detected its card, with what the detector says, until its endpoints arrive', () => {
    const fleet = new Fleet();
    const waiting: SourceSpec = { id: 'srv-new', name: 'new-box', local: false, endpoints: [], detectInput: '127.0.0.1:9000' };
    fleet.setSources([waiting]);
    expect(fleet.machine('srv-new')).toMatchObject({ name: 'new-box', status: 'detecting', statusText: 'Waiting to look for it…', protocols: [], endpoints: [], detectInput: '127.0.0.1:9000' });
    fleet.setDetectionState('srv-new', { status: 'detecting', attempt: 3, detail: 'Nothing answered on port 9000; trying again in 4 s.' });
    expect(fleet.machine('srv-new')).toMatchObject({ status: 'detecting', statusText: 'Nothing answered on port 9000; trying again in 4 s.' });
    fleet.setDetectionState('srv-new', { status: 'auth-required', reason: 'It needs a SysMedic secret (HTTP 401).' });
    expect(fleet.machine('srv-new')).toMatchObject({ status: 'auth-required', statusText: 'It needs a SysMedic secret (HTTP 401).' });
    fleet.setSources([waiting]);
    expect(fleet.machine('srv-new')!.status).toBe('auth-required');

    const url = 'ws://127.0.0.1:9000/ws';
    fleet.setSources([{ ...waiting, endpoints: [{ protocol: 'sysmedic', url }] }]);
    fleet.setDetectionState('srv-new', { status: 'detecting', attempt: 1, detail: 'too late' });
    expect(fleet.machines()).toHaveLength(1);
    expect(fleet.machine('srv-new')).toMatchObject({ status: 'connecting', statusText: 'Connecting…', protocols: ['sysmedic'] });
    expect(fleet.machine('srv-new')!.detectInput).toBeUndefined();
  });

  it('keeps a host and its columns across a reconnect and drops them when the endpoint is removed', () => {
    const fleet = new Fleet();
    const url = 'ws://h:1/usage';
    fleet.setSources([server('s', [['gpu-usage', url]])]);
    fleet.setConnectionState('s', url, connected);
    fleet.sinkFor('s', url).host({ id: 'h:1', hostname: 'h' });
    fleet.sinkFor('s', url).sample('h:1', { timeMs: 1, cpu: { totalPercent: 1 } });
    fleet.setConnectionState('s', url, { status: 'reconnecting', attempt: 1, retryInMs: 1, reason: 'x' });
    fleet.setConnectionState('s', url, connected);
    fleet.sinkFor('s', url).sample('h:1', { timeMs: 2, cpu: { totalPercent: 2 } });
    expect(fleet.machine('s')!.sample!.cpu!.totalPercent).toBe(2);
    expect(fleet.columns(fleet.machine('s')!)).toEqual(new Set(['cpu']));
    fleet.setSources([server('s', [['gpu-usage', 'ws://h:2/usage']])]);
    expect(fleet.machine('s')!.parts).toHaveLength(0);
    expect(fleet.columns(fleet.machine('s')!).size).toBe(0);
  });

  it('files events by host and keeps task output together', () => {
    const changes: string[] = [];
    const fleet = new Fleet({ onChange: (change) => changes.push(change.kind) });
    const url = 'ws://h:8082/';
    fleet.setSources([server('s', [['servercontrol', url]])]);
    const sink = fleet.sinkFor('s', url);
    sink.host({ id: 'h:8082', hostname: 'h' });
    sink.event('h:8082', { kind: 'alert', timeMs: 1, severity: 'warning', message: 'CPU usage exceeded 90%!' });
    sink.event('h:8082', { kind: 'task-start', timeMs: 2, taskId: '1', command: 'ls' });
    sink.event('h:8082', { kind: 'task-output', timeMs: 3, taskId: '1', output: 'a\n' });
    sink.event('h:8082', { kind: 'task-output', timeMs: 4, taskId: '1', output: 'b\n' });
    sink.event('h:8082', { kind: 'task-complete', timeMs: 5, taskId: '1', exitCode: 0 });
    const machine = fleet.machine('s')!;
    expect(fleet.events(machine).map((entry) => entry.event.kind)).toEqual(['alert', 'task-start', 'task-complete']);
    expect(fleet.tasks(machine)).toMatchObject([{ taskId: '1', command: 'ls', output: 'a\nb\n', exitCode: 0 }]);
    expect(changes.filter((kind) => kind === 'event')).toHaveLength(5);
  });
});
