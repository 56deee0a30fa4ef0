// The hub's server list: the lines of the --servers file (edited there, read again on SIGHUP) and the
// servers added from a page, kept in <data-dir>/servers.json (mode 0600: it holds credentials) and
// written atomically. Pages see every entry with its credentials masked; an edit that sends a masked URL
// or address back keeps the stored one. A servers.json that cannot be read is moved aside and reported.

import { readFileSync, renameSync } from 'node:fs';
import { z } from 'zod';
import type { Endpoint } from '../../proto/client';
import { withoutCredentials } from '../../proto/target';
import { MAX_SERVERS, newServerId, serverEntrySchema, type ServerEntry } from '../../fleet/server-entry';
import type { HubServer } from '../../fleet/hub-view';
import { uniqueTags } from '../../fleet/tags';
import { writePrivateFile } from '../data-dir';
import { RequestError } from '../net/read-body';
import type { ServerLine } from './servers-file';

const savedSchema = z.object({ version: z.literal(1), servers: z.array(serverEntrySchema).max(MAX_SERVERS) });

export type ServerChange = Partial<Pick<ServerEntry, 'name' | 'input' | 'endpoints' | 'tags'>>;

export class ServerBook {
  private lines: readonly ServerLine[] = [];
  private fileName: string | undefined;
  private saved: ServerEntry[] = [];
  /** What detection found for file lines, which are not saved anywhere. */
  private readonly found = new Map<string, Endpoint[]>();
  /** Set when servers.json could not be used. */
  readonly problem: string | undefined;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.problem = this.load();
  }

  setFile(lines: readonly ServerLine[], fileName: string | undefined): void {
    this.lines = lines;
    this.fileName = fileName;
  }

  /** Every server with its credentials, for the engine: the file's lines first. */
  entries(): ServerEntry[] {
    const fromFile = this.lines.map((line): ServerEntry => ({ id: line.id, input: line.input, ...(line.name ? { name: line.name } : {}), ...(line.tags ? { tags: line.tags } : {}), endpoints: this.found.get(line.id) ?? [], addedAtMs: 0 }));
    return [...fromFile, ...this.saved];
  }

  /** Every server as a page may see it. */
  views(): HubServer[] {
    const fromFile = new Map(this.lines.map((line) => [line.id, `${this.fileName}:${line.line}`]));
    return this.entries().map((entry) => {
      const where = fromFile.get(entry.id);
      return { ...entry, input: withoutCredentials(entry.input), endpoints: entry.endpoints.map(masked), ...(where ? { fromFile: where } : {}) };
    });
  }

  add(entry: { input: string; name?: string; tags?: string[]; endpoints: Endpoint[] }): ServerEntry {
    if (this.lines.length + this.saved.length >= MAX_SERVERS) throw new RequestError(409, `This hub already watches ${MAX_SERVERS} servers, the most it takes.`);
    const created: ServerEntry = { id: newServerId(this.entries()), input: entry.input.trim(), ...(entry.name?.trim() ? { name: entry.name.trim() } : {}), ...(entry.tags?.length ? { tags: uniqueTags(entry.tags) } : {}), endpoints: entry.endpoints, addedAtMs: this.now() };
    this.saved = [...this.saved, created];
    this.save();
    return created;
  }

  /**
   * Adds the entries of an older list (the app's settings, a page's storage) that this hub does not have
   * yet: the same address with the same endpoints. Two servers typed alike but read with other credentials
   * are both kept.
   */
  importEntries(entries: readonly ServerEntry[]): number {
    const sameness = (entry: ServerEntry): string => JSON.stringify([entry.input, entry.endpoints.map((endpoint) => endpoint.url).sort()]);
    const known = new Set(this.entries().map(sameness));
    const ids = new Set(this.entries().map((entry) => entry.id));
    const room = MAX_SERVERS - this.lines.length - this.saved.length;
    const fresh = entries.filter((entry) => !known.has(sameness(entry)) && known.add(sameness(entry))).slice(0, Math.max(0, room));
    const added = fresh.map((entry) => (ids.has(entry.id) ? { ...entry, id: newServerId([...this.entries(), ...fresh]) } : entry));
    if (added.length === 0) return 0;
    this.saved = [...this.saved, ...added];
    this.save();
    return added.length;
  }

  update(id: string, change: ServerChange): void {
    const index = this.savedIndex(id);
    const stored = this.saved[index]!;
    const next: ServerEntry = { ...stored };
    if (change.name !== undefined) {
      if (change.name.trim()) next.name = change.name.trim();
      else delete next.name;
    }
    if (change.tags !== undefined) {
      if (change.tags.length > 0) next.tags = uniqueTags(change.tags);
      else delete next.tags;
    }
    if (change.input !== undefined) next.input = change.input.includes('•••') && change.input === withoutCredentials(stored.input) ? stored.input : change.input.trim();
    if (change.endpoints) next.endpoints = change.endpoints.map((endpoint) => unmask(endpoint, stored.endpoints));
    this.saved = this.saved.map((entry, at) => (at === index ? next : entry));
    this.save();
  }

  remove(id: string): void {
    const index = this.savedIndex(id);
    this.saved = this.saved.filter((_entry, at) => at !== index);
    this.save();
  }

  /** Detection found a server that had no endpoints: the engine connects to these from now on. */
  detected(id: string, input: string, endpoints: Endpoint[]): void {
    const line = this.lines.find((candidate) => candidate.id === id);
    if (line) {
      if (line.input === input) this.found.set(id, endpoints);
      return;
    }
    const entry = this.saved.find((candidate) => candidate.id === id);
    // It may have been removed or given another address while the search ran.
    if (!entry || entry.input !== input || entry.endpoints.length > 0) return;
    this.update(id, { endpoints });
  }

  /** Reads servers.json; one that cannot be used is moved aside, and what went wrong is returned. */
  private load(): string | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : `Could not read ${this.file}: ${(error as Error).message}.`;
    }
    let why: string;
    try {
      const parsed = savedSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        this.saved = parsed.data.servers;
        return undefined;
      }
      const issue = parsed.error.issues[0];
      why = issue ? `${issue.path.join('.') || 'file'}: ${issue.message}` : 'invalid';
    } catch (error) {
      why = `not JSON: ${(error as Error).message}`;
    }
    const aside = `${this.file}.corrupt-${this.now()}`;
    renameSync(this.file, aside);
    return `${this.file} could not be used (${why}); it was moved to ${aside} and the hub starts without the servers it listed.`;
  }

  private savedIndex(id: string): number {
    const index = this.saved.findIndex((entry) => entry.id === id);
    if (index >= 0) return index;
    const line = this.lines.find((candidate) => candidate.id === id);
    if (line) throw new RequestError(409, `That server is line ${line.line} of ${this.fileName}; change it there (the hub reads the file again on SIGHUP).`);
    throw new RequestError(404, `This hub has no server ${id}.`);
  }

  private save(): void {
    writePrivateFile(this.file, JSON.stringify({ version: 1, servers: this.saved }, null, 2) + '\n');
  }
}

function masked(endpoint: Endpoint): Endpoint {
  return { ...endpoint, url: withoutCredentials(endpoint.url) };
}

/** An endpoint a page sent back still masked is the stored one it stands for. */
function unmask(endpoint: Endpoint, stored: readonly Endpoint[]): Endpoint {
  if (!endpoint.url.includes('•••') && !endpoint.url.includes(encodeURIComponent('•••'))) return endpoint;
  return stored.find((candidate) => candidate.protocol === endpoint.protocol && [withoutCredentials(candidate.url), masked(candidate).url].includes(decodeURIComponent(endpoint.url))) ?? endpoint;
}
