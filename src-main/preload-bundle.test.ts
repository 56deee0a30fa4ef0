import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/test-agent';

// A sandboxed preload can require only a few built-in modules ('electron' among them), never
// node_modules: the built bundle must be one CommonJS file that needs nothing else (`npm run build` first).

describe('the built preload', () => {
  const bundle = readFileSync(path.join(REPO_ROOT, 'out/preload/index.cjs'), 'utf8');

  it('is CommonJS and requires nothing but electron', () => {
    const required = [...bundle.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(bundle).not.toMatch(/^\s*import\s/m);
  });

  it('exposes window.fleetwatch and never ipcRenderer itself', () => {
    expect(bundle).toMatch(/exposeInMainWorld\(\s*["']fleetwatch["']/);
    expect(bundle).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
  });
});
