import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { describeAge, forgetFailure, rememberedFailure, rememberFailure } from './download-memory.ts';

// How long `npm start` trusts a failed Electron download before it tries the network again.

const cleanups = cleanupAfterEach();
const HOUR_MS = 60 * 60 * 1000;

function projectRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-download-memory-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('a remembered Electron download failure', () => {
  it('is remembered for a day, then forgotten', () => {
    const root = projectRoot();
    const failedAtMs = Date.UTC(2026, 11, 4, 5);
    rememberFailure(root, { version: '41.7.1', failedAtMs, reason: 'getaddrinfo ENOTFOUND github.com' });
    expect(rememberedFailure(root, '41.7.1', failedAtMs + 23 * HOUR_MS)).toEqual({ version: '41.7.1', failedAtMs, reason: 'getaddrinfo ENOTFOUND github.com' });
    expect(rememberedFailure(root, '41.7.1', failedAtMs + 24 * HOUR_MS)).toBeNull();
  });

  it('does not hold for another Electron version, or after a success', () => {
    const root = projectRoot();
    rememberFailure(root, { version: '41.7.1', failedAtMs: 1000, reason: 'no data arrived for 30 s' });
    expect(rememberedFailure(root, '45.0.0', 2000)).toBeNull();
    forgetFailure(root);
    expect(rememberedFailure(root, '41.7.1', 2000)).toBeNull();
  });

  it('is none when nothing was remembered', () => {
    expect(rememberedFailure(projectRoot(), '41.7.1', 0)).toBeNull();
  });

  it('says its age in words', () => {
    expect(describeAge(20_000)).toBe('just now');
    expect(describeAge(5 * 60_000)).toBe('5 min ago');
    expect(describeAge(3 * HOUR_MS + 59 * 60_000)).toBe('3 h ago');
  });
});
