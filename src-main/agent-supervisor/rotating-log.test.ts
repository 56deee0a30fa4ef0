import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingLog } from './rotating-log';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function logIn(maxBytes: number, keep = 3): RotatingLog {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-log-'));
  dirs.push(dir);
  return new RotatingLog({ file: path.join(dir, 'logs', 'agent.log'), maxBytes, keep });
}

describe('RotatingLog', () => {
  it('creates its folder and appends one line per write', () => {
    const log = logIn(1024);
    log.write('first');
    log.write('second\n');
    expect(readFileSync(log.file, 'utf8')).toBe('first\nsecond\n');
  });

  it('rotates past the size limit, keeps three old files and drops the oldest', () => {
    const log = logIn(20, 3);
    for (let index = 1; index <= 6; index++) log.write(`line ${index} ${'x'.repeat(8)}`);
    expect(readFileSync(log.file, 'utf8')).toBe('line 6 xxxxxxxx\n');
    expect(readFileSync(`${log.file}.1`, 'utf8')).toBe('line 5 xxxxxxxx\n');
    expect(readFileSync(`${log.file}.3`, 'utf8')).toBe('line 3 xxxxxxxx\n');
    expect(existsSync(`${log.file}.4`)).toBe(false);
  });

  it('counts what an earlier run already wrote', () => {
    const first = logIn(40);
    first.write('a'.repeat(30));
    const second = new RotatingLog({ file: first.file, maxBytes: 40 });
    second.write('b'.repeat(30));
    expect(readFileSync(`${first.file}.1`, 'utf8')).toBe(`${'a'.repeat(30)}\n`);
    expect(readFileSync(first.file, 'utf8')).toBe(`${'b'.repeat(30)}\n`);
  });
});
