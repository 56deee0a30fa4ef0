import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectJournal, JOURNAL_ENTRY_LIMIT, parseJournalJson } from './journal';

const RECORD = {
  __REALTIME_TIMESTAMP: '1795321500123456',
  PRIORITY: '4',
  MESSAGE: 'disk almost full',
  _SYSTEMD_UNIT: 'backup.service',
  _PID: '4242',
  _COMM: 'backup',
  _UID: '0',
  _GID: '0',
};

/** A stand-in journalctl: a shell script with the given body, in a directory of its own. */
function fakeJournalctl(body: string): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-journalctl-')), 'journalctl');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('journal collector', () => {
  it('reads journalctl -o json records, byte-array messages and missing fields included', () => {
    const lines = [JSON.stringify(RECORD), JSON.stringify({ __REALTIME_TIMESTAMP: '1795321501000000', MESSAGE: [104, 105], PRIORITY: '9' }), 'not json', '', '[]'];
    expect(parseJournalJson(lines.join('\n'))).toEqual([
      { timeMs: 1_795_321_500_123, priority: 4, message: 'disk almost full', unit: 'backup.service', pid: 4242, command: 'backup', userId: 0, groupId: 0 },
      { timeMs: 1_795_321_501_000, priority: 7, message: 'hi' },
      { timeMs: 0, priority: 6, message: '' },
    ]);
  });

  it('asks journalctl for the newest 100 records of exactly that pid, and says when older ones were left out', async () => {
    const args = path.join(mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-args-')), 'args');
    const command = fakeJournalctl(`echo "$@" > ${args}\ni=0\nwhile [ $i -lt ${JOURNAL_ENTRY_LIMIT} ]; do echo '${JSON.stringify(RECORD)}'; i=$((i+1)); done`);
    const reading = await collectJournal(4242, { command });
    expect(reading.entries).toHaveLength(JOURNAL_ENTRY_LIMIT);
    expect(reading.truncated).toBe(true);
    expect(readFileSync(args, 'utf8').trim()).toBe('_PID=4242 -n 100 -o json --no-pager');
  });

  it('says journalctl is not installed where it is missing from PATH', async () => {
    const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-empty-'));
    await expect(collectJournal(1, { env: { PATH: emptyDir } })).rejects.toThrow('journalctl is not installed on this machine, so there are no journal entries to read');
  });

  it('gives up on a journalctl that hangs, and reports one that fails with its first error line', async () => {
    await expect(collectJournal(1, { command: fakeJournalctl('sleep 5'), timeoutMs: 200 })).rejects.toThrow('journalctl did not answer within 0.2 s');
    await expect(collectJournal(1, { command: fakeJournalctl('echo "Failed to open journal: Permission denied" >&2; exit 1') })).rejects.toThrow('journalctl failed: Failed to open journal: Permission denied');
  });

  it('refuses a pid that is not a positive integer without running anything', async () => {
    await expect(collectJournal(0, { command: '/nonexistent' })).rejects.toThrow(/invalid pid/);
    await expect(collectJournal(1.5, { command: '/nonexistent' })).rejects.toThrow(/invalid pid/);
  });
});
