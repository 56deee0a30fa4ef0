import { describe, expect, it } from 'vitest';
import type { JournalEntry, ProcessDetails } from '../model';
import { decodeError, decodeJournal, decodeProcessMetrics, encodeError, encodeJournal, encodeProcessMetrics } from './details';
import { parseRequest, requestText, type SocktopRequest } from './requests';

describe('socktop requests', () => {
  it.each([
    ['get_metrics', { kind: 'metrics' }],
    ['get_disks', { kind: 'disks' }],
    ['get_processes', { kind: 'processes' }],
    ['get_process_metrics:1234', { kind: 'process-metrics', pid: 1234 }],
    ['get_journal_entries:1', { kind: 'journal-entries', pid: 1 }],
    ['{"type":"metrics"}', { kind: 'metrics' }],
    ['{"type":"disks"}', { kind: 'disks' }],
    ['{"type":"processes"}', { kind: 'processes' }],
    ['get_metrics\n', { kind: 'metrics' }],
  ])('reads %j', (text, request) => {
    expect(parseRequest(text)).toEqual(request);
  });

  it.each(['get_process_metrics:abc', 'get_process_metrics:0', 'get_process_metrics:-5', 'get_process_metrics:1.5', 'get_process_metrics:', 'get_process_metrics:4294967296', 'get_journal_entries:99999999999'])(
    'reads %j as a request whose pid is not valid, so that it gets an error reply',
    (text) => {
      expect(parseRequest(text)).toMatchObject({ pid: null });
    },
  );

  it.each(['subscribe:usage', 'GET_METRICS', 'get_metric', '', '{"type":"ping"}', '{"type":"process_metrics","pid":1}', '{', 'null', '{"type":["metrics"]}', 'get_metricsget_metrics'])(
    'does not take %j for a request',
    (text) => {
      expect(parseRequest(text)).toBeNull();
    },
  );

  it('round-trips every request through its text form', () => {
    const requests: SocktopRequest[] = [{ kind: 'metrics' }, { kind: 'disks' }, { kind: 'processes' }, { kind: 'process-metrics', pid: 42 }, { kind: 'journal-entries', pid: 4_294_967_295 }];
    for (const request of requests) expect(parseRequest(requestText(request))).toEqual(request);
  });
});

const details: ProcessDetails = {
  pid: 4242,
  name: 'postgres',
  command: '/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main',
  cpuPercent: 3.5,
  memoryBytes: 52_428_800,
  virtualMemoryBytes: 224_395_264,
  threadCount: 1,
  status: 'Sleeping',
  parentPid: 1,
  userId: 113,
  groupId: 120,
  startTimeMs: 1_795_000_000_000,
  cpuUserMs: 1250,
  cpuSystemMs: 310,
  timeMs: 1_795_321_507_000,
};

describe('socktop process details and journal replies', () => {
  it('encodes process details in the keys and units the real client requires', () => {
    expect(encodeProcessMetrics(details)).toEqual({
      process: {
        pid: 4242,
        name: 'postgres',
        command: details.command,
        cpu_usage: 3.5,
        mem_bytes: 52_428_800,
        virtual_mem_bytes: 224_395_264,
        thread_count: 1,
        status: 'Sleeping',
        parent_pid: 1,
        user_id: 113,
        group_id: 120,
        start_time: 1_795_000_000,
        cpu_time_user: 1_250_000,
        cpu_time_system: 310_000,
        child_processes: [],
        threads: [],
      },
      cached_at: 1_795_321_507,
    });
  });

  it('round-trips process details, parent pid absent included', () => {
    expect(decodeProcessMetrics(JSON.parse(JSON.stringify(encodeProcessMetrics(details))))).toEqual(details);
    const { parentPid: _parent, ...orphan } = details;
    expect(encodeProcessMetrics(orphan).process.parent_pid).toBeNull();
    expect(decodeProcessMetrics(encodeProcessMetrics(orphan))).toEqual(orphan);
  });

  it('encodes journal records with ISO times and priority names, and round-trips them', () => {
    const entries: JournalEntry[] = [
      { timeMs: 1_795_321_500_123, priority: 6, message: 'database system is ready', unit: 'postgresql@16-main.service', pid: 4242, command: 'postgres', userId: 113, groupId: 120 },
      { timeMs: 1_795_321_501_000, priority: 3, message: 'could not bind' },
    ];
    const reply = encodeJournal(entries, false, 1_795_321_507_000);
    expect(reply).toEqual({
      entries: [
        { timestamp: '2026-11-22T04:25:00.123Z', priority: 'Info', message: 'database system is ready', unit: 'postgresql@16-main.service', pid: 4242, comm: 'postgres', uid: 113, gid: 120 },
        { timestamp: '2026-11-22T04:25:01.000Z', priority: 'Error', message: 'could not bind', unit: null, pid: null, comm: null, uid: null, gid: null },
      ],
      total_count: 2,
      truncated: false,
      cached_at: 1_795_321_507,
    });
    expect(decodeJournal(JSON.parse(JSON.stringify(reply)))).toEqual({ entries, truncated: false, timeMs: 1_795_321_507_000 });
  });

  it('says which request and pid an error reply is about, null for a pid that was not a number', () => {
    expect(encodeError('process-metrics', 'no process with pid 9', 9)).toEqual({ error: 'no process with pid 9', request: 'get_process_metrics', pid: 9 });
    expect(encodeError('journal-entries', 'the pid must be a positive integer', null)).toEqual({ error: 'the pid must be a positive integer', request: 'get_journal_entries', pid: null });
    expect(encodeError('metrics', 'sampler failed')).toEqual({ error: 'sampler failed', request: 'get_metrics' });
    expect(decodeError(encodeError('process-metrics', 'gone', 3))).toEqual({ message: 'gone', request: 'get_process_metrics', pid: 3 });
  });

  it.each([null, {}, { process: {} }, { entries: 'none' }, { error: 1 }])('decodes nothing from the hostile reply %j', (value) => {
    expect(decodeProcessMetrics(value)).toBeNull();
    expect(decodeJournal(value)).toBeNull();
    expect(decodeError(value)).toBeNull();
  });
});
