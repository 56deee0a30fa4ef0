import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readmeLine } from './readme-lines';
import { REPO_ROOT } from './test-agent';

// The README's two lines are what a newcomer types, and what CI runs: .ci/run reads the Test line
// through .ci/readme-line, which must read the same lines as the tests that run them.

function ciReadmeLine(section: string): { status: number | null; stdout: string } {
  return spawnSync(path.join(REPO_ROOT, '.ci/readme-line'), [section], { encoding: 'utf8' });
}

describe("the README's Run and Test lines", () => {
  it('are one line each: install, then start or test', () => {
    expect(readmeLine(REPO_ROOT, 'Run')).toBe('npm install && npm start');
    expect(readmeLine(REPO_ROOT, 'Test')).toBe('npm install && npm test');
  });

  it('are read by CI exactly as the tests read them', () => {
    for (const section of ['Run', 'Test'] as const) expect(ciReadmeLine(section)).toMatchObject({ status: 0, stdout: `${readmeLine(REPO_ROOT, section)}\n` });
  });

  it('are refused by CI where a section holds no single-line block', () => {
    expect(ciReadmeLine('Layout').status).not.toBe(0);
    expect(ciReadmeLine('No such section').status).not.toBe(0);
  });
});
