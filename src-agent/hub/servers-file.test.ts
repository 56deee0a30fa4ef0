import { describe, expect, it } from 'vitest';
import { MAX_SERVERS } from '../../fleet/server-entry';
import { parseServersFile } from './servers-file';

describe('the --servers file', () => {
  it('reads one target per line, with an optional name, skipping blanks and comments', () => {
    const { servers, problems } = parseServersFile(
      ['# lab', '', 'gpu-box', '10.0.0.7:3000   Lab GPU 7   # the big one', '  ws://[::1]:8082/  ', 'sysmedic://s3cret@db-1:8060/', 'http://nas:3001/ws'].join('\n'),
      'servers.txt',
    );
    expect(problems).toEqual([]);
    expect(servers.map(({ line, input, name }) => [line, input, name])).toEqual([
      [3, 'gpu-box', undefined],
      [4, '10.0.0.7:3000', 'Lab GPU 7'],
      [5, 'ws://[::1]:8082/', undefined],
      [6, 'sysmedic://s3cret@db-1:8060/', undefined],
      [7, 'http://nas:3001/ws', undefined],
    ]);
  });

  it('reads tags as words led by +, anywhere after the target, each once', () => {
    const { servers, problems } = parseServersFile(['10.0.0.7:3000 +gpu Lab GPU 7 +rack-3 +GPU', 'db-1 +db', 'web-1 +', `web-2 +${'x'.repeat(41)}`].join('\n'), 'servers.txt');
    expect(servers.map(({ input, name, tags }) => [input, name, tags])).toEqual([
      ['10.0.0.7:3000', 'Lab GPU 7', ['gpu', 'rack-3']],
      ['db-1', undefined, ['db']],
    ]);
    expect(problems).toEqual(['servers.txt:3: a tag cannot be empty (tags are words led by +).', 'servers.txt:4: a tag is at most 40 characters (tags are words led by +).']);
  });

  it('gives each server an id that survives reordering the file', () => {
    const before = parseServersFile('a:1\nb:2', 'f').servers;
    const after = parseServersFile('# moved\nb:2\na:1', 'f').servers;
    expect(after.find((server) => server.input === 'a:1')!.id).toBe(before[0]!.id);
    expect(before[0]!.id).not.toBe(before[1]!.id);
  });

  it('reports every kind of bad line with its number, and loads the rest', () => {
    const text = ['ftp://files:21/', 'bad!host', '::1', '[::1:3000', 'good:3000', 'host:99999', 'good:3000', 'sysmedic://secret1@h:8060/', 'sysmedic://secret1@h:8060/', 'also-good'].join('\n');
    const { servers, problems } = parseServersFile(text, 'servers.txt');
    expect(servers.map((server) => server.input)).toEqual(['good:3000', 'sysmedic://secret1@h:8060/', 'also-good']);
    expect(problems).toHaveLength(7);
    expect(problems[0]).toMatch(/^servers\.txt:1: "ftp:\/\/" is not a monitoring URL/);
    expect(problems[1]).toMatch(/^servers\.txt:2: .*bad!host/);
    expect(problems[2]).toMatch(/^servers\.txt:3: .*IPv6.*brackets/);
    expect(problems[3]).toMatch(/^servers\.txt:4: .*never closes it/);
    expect(problems[4]).toMatch(/^servers\.txt:6: .*port/i);
    expect(problems[5]).toBe('servers.txt:7: good:3000 is already on line 5; each server is listed once.');
    // A duplicate's message never shows its secret.
    expect(problems[6]).toBe('servers.txt:9: sysmedic://•••@h:8060/ is already on line 8; each server is listed once.');
  });

  it(`watches at most ${MAX_SERVERS} servers and says which lines were left out`, () => {
    const lines = Array.from({ length: MAX_SERVERS + 2 }, (_, index) => `10.${index >> 16}.${(index >> 8) & 255}.${index & 255}:8082`);
    const { servers, problems } = parseServersFile(lines.join('\n'), 'big.txt');
    expect(servers).toHaveLength(MAX_SERVERS);
    expect(problems).toEqual([`big.txt:${MAX_SERVERS + 1}: more than ${MAX_SERVERS} servers; this line and the ones after it are not watched.`, `big.txt:${MAX_SERVERS + 2}: more than ${MAX_SERVERS} servers; this line and the ones after it are not watched.`]);
  });
});
