// A source costs one folder: outside its own folder, its server and the registries, no code names a
// protocol. Every per-protocol fact (ports, credential, scheme, ranks, discovery key) is read from its
// descriptor (proto/<id>/descriptor.ts) through PROTOCOLS.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_IDS } from '../proto/protocols';
import { REPO_ROOT } from './test-agent';

/** The registries, which list every protocol by name, and ServerControl's own discovery answer. */
const ALLOWED = new Set(['proto/protocols.ts', 'proto/clients.ts', 'src-agent/servers/registry.ts', 'proto/discovery.ts']);

function ownedByOneProtocol(file: string): boolean {
  return PROTOCOL_IDS.some((id) => file.startsWith(`proto/${id}/`) || file.startsWith(`src-agent/servers/${id}/`) || file === `src-agent/servers/${id}.ts`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name) && !entry.name.startsWith('test-'))
    .map((entry) => path.relative(REPO_ROOT, path.join(entry.parentPath, entry.name)));
}

const NAMED = new RegExp(`(['"\`](${PROTOCOL_IDS.join('|')})['"\`])|PROTOCOLS\\.(${PROTOCOL_IDS.filter((id) => /^\\w+$/.test(id)).join('|')})\\b|PROTOCOLS\\[['"]`);

describe('generic code and the protocols', () => {
  it('names no protocol outside its folder, its server and the registries', () => {
    const generic = ['proto', 'fleet', 'src-agent', 'src-main', 'src-renderer'].flatMap(sourceFiles).filter((file) => !ALLOWED.has(file) && !ownedByOneProtocol(file));
    expect(generic.length).toBeGreaterThan(100);
    const naming = generic.flatMap((file) =>
      readFileSync(path.join(REPO_ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, index) => (NAMED.test(line) && !line.trimStart().startsWith('//') ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(naming).toEqual([]);
  });
});
