import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerBook } from './server-book';
import { parseServersFile } from './servers-file';

const dirs: string[] = [];
function bookFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleetwatch-book-'));
  dirs.push(dir);
  return path.join(dir, 'servers.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SYSMEDIC = { protocol: 'sysmedic' as const, url: 'ws://db:8060/ws?secret=s3cret' };
const SOCKTOP = { protocol: 'socktop' as const, url: 'ws://db:3000/ws?token=t0ken' };

describe("the hub's server book", () => {
  it('keeps added servers in a 0600 file, and shows pages every one without its credentials', () => {
    const file = bookFile();
    const book = new ServerBook(file, () => 42);
    const added = book.add({ input: 'sysmedic://s3cret@db:8060/', name: ' DB ', endpoints: [SYSMEDIC, SOCKTOP] });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = new ServerBook(file);
    expect(again.entries()).toEqual([{ id: added.id, input: 'sysmedic://s3cret@db:8060/', name: 'DB', endpoints: [SYSMEDIC, SOCKTOP], addedAtMs: 42 }]);
    const shown = JSON.stringify(again.views());
    expect(shown).not.toContain('s3cret');
    expect(shown).not.toContain('t0ken');
  });

  it('keeps tags each once, clears them when given none, and takes the file\'s tags with its lines', () => {
    const file = bookFile();
    const book = new ServerBook(file);
    const { id } = book.add({ input: 'gpu-1', tags: ['gpu', 'GPU', 'rack-3'], endpoints: [] });
    expect(new ServerBook(file).entries()[0]!.tags).toEqual(['gpu', 'rack-3']);
    book.update(id, { tags: ['lab'] });
    expect(book.views()[0]!.tags).toEqual(['lab']);
    book.update(id, { tags: [] });
    expect(new ServerBook(file).entries()[0]).not.toHaveProperty('tags');
    book.setFile(parseServersFile('db-1 +db +rack-1', 'servers.txt').servers, 'servers.txt');
    expect(book.views()[0]).toMatchObject({ input: 'db-1', tags: ['db', 'rack-1'], fromFile: 'servers.txt:1' });
  });

  it('takes a page\'s edit with masked credentials as "unchanged", and a new credential as new', () => {
    const book = new ServerBook(bookFile());
    const { id } = book.add({ input: 'db?secret=s3cret', endpoints: [SYSMEDIC, SOCKTOP] });
    const [view] = book.views();
    book.update(id, { name: 'renamed', input: view!.input, endpoints: [view!.endpoints[0]!, { ...view!.endpoints[1]!, url: 'ws://db:3000/ws?token=new' }] });
    expect(book.entries()[0]).toMatchObject({ name: 'renamed', input: 'db?secret=s3cret', endpoints: [SYSMEDIC, { protocol: 'socktop', url: 'ws://db:3000/ws?token=new' }] });
    book.update(id, { name: '' });
    expect(book.entries()[0]!.name).toBeUndefined();
  });

  it('lists the --servers file first and refuses to change its lines from a page', () => {
    const book = new ServerBook(bookFile());
    book.setFile(parseServersFile('# x\nalpha:8082 Alpha', 'servers.txt').servers, 'servers.txt');
    const { id } = book.add({ input: 'beta', endpoints: [] });
    const [fromFile, added] = book.views();
    expect(fromFile).toMatchObject({ input: 'alpha:8082', name: 'Alpha', fromFile: 'servers.txt:2' });
    expect(added).toMatchObject({ id, input: 'beta' });
    expect(() => book.remove(fromFile!.id)).toThrow('That server is line 2 of servers.txt; change it there (the hub reads the file again on SIGHUP).');
    expect(() => book.remove('srv-nope')).toThrow('This hub has no server srv-nope.');
    book.detected(fromFile!.id, 'alpha:8082', [{ protocol: 'servercontrol', url: 'ws://alpha:8082/' }]);
    book.detected(id, 'beta', [{ protocol: 'socktop', url: 'ws://beta:3000/ws' }]);
    expect(book.entries().map((entry) => entry.endpoints.length)).toEqual([1, 1]);
  });

  it('imports an older list once, skipping servers it already watches, keeping two alike but for their credentials', () => {
    const book = new ServerBook(bookFile());
    book.add({ input: 'a', endpoints: [] });
    const older = [
      { id: 'srv-000001', input: 'a', endpoints: [], addedAtMs: 1 },
      { id: 'srv-000002', input: 'b', endpoints: [], addedAtMs: 2 },
      { id: 'srv-000003', input: 'db', endpoints: [SYSMEDIC], addedAtMs: 3 },
      { id: 'srv-000004', input: 'db', endpoints: [{ ...SYSMEDIC, url: 'ws://db:8060/ws?secret=old' }], addedAtMs: 4 },
    ];
    expect(book.importEntries(older)).toBe(3);
    expect(book.importEntries(older)).toBe(0);
    expect(book.entries().map((entry) => entry.input)).toEqual(['a', 'b', 'db', 'db']);
  });

  it('moves a servers.json it cannot use aside, says so, and starts empty', () => {
    const file = bookFile();
    writeFileSync(file, '{"version":1,"servers":[{"id":""}]}');
    const book = new ServerBook(file, () => 7);
    expect(book.problem).toMatch(/servers\.json could not be used \(servers\.0\.id: .*\); it was moved to .*servers\.json\.corrupt-7/);
    expect(book.entries()).toEqual([]);
    expect(readdirSync(path.dirname(file))).toEqual(['servers.json.corrupt-7']);
    expect(readFileSync(`${file}.corrupt-7`, 'utf8')).toContain('"id":""');
    writeFileSync(file, 'not json');
    expect(new ServerBook(file, () => 8).problem).toMatch(/not JSON/);
  });
});
