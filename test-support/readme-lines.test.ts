import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeLine } from './readme-lines';
import { REPO_ROOT } from './test-agent';

// The README's two lines are what a newcomer types, and the Test line is what CI runs: .ci/run's last
// line must be the README's Test line, word for word.

describe("the README's Run and Test lines", () => {
  it('are one line each: install, then start or test', () => {
    expect(readmeLine(REPO_ROOT, 'Run')).toBe('npm install && npm start');
    expect(readmeLine(REPO_ROOT, 'Test')).toBe('npm install && npm test');
  });

  it('are what CI runs: the Test line is the last line of .ci/run', () => {
    const ciLines = readFileSync(path.join(REPO_ROOT, '.ci/run'), 'utf8').trim().split('\n');
    expect(ciLines.at(-1)).toBe(readmeLine(REPO_ROOT, 'Test'));
  });

  it('are refused where a section holds no single-line block', () => {
    expect(() => readmeLine(REPO_ROOT, 'Layout')).toThrow(/one sh block of one line; found 0/);
    expect(() => readmeLine(REPO_ROOT, 'No such section')).toThrow(/one sh block of one line; found 0/);
  });
});
