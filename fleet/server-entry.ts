// One watched server as the user gave it: what they typed (credentials included, so it is kept only where
// the fleet runs: the settings file, the hub's data dir) and the endpoints detection found. Validated
// wherever it is read back.

import { z } from 'zod';
import type { Endpoint } from '../proto/client';
import type { Capability } from '../proto/model';
import { PROTOCOL_IDS, PROTOCOLS, type ProtocolId } from '../proto/protocols';
import { tagsSchema } from './tags';

/** Servers one fleet watches at most, across a hub's file and the list kept in its data dir. */
export const MAX_SERVERS = 5000;

/** One protocol endpoint as found by detection: what a fleet connects to. */
export const endpointSchema = z.object({ protocol: z.enum(PROTOCOL_IDS), url: z.string().min(1).max(2048) });

export const serverEntrySchema = z.object({
  id: z.string().min(1).max(64),
  /** What the user typed, credentials included. */
  input: z.string().min(1).max(2048),
  name: z.string().max(200).optional(),
  /** The user's labels, by which the overview groups and filters. */
  tags: tagsSchema.optional(),
  /** What detection found; the fleet connects to these without detecting again. */
  endpoints: z.array(endpointSchema).max(8),
  addedAtMs: z.number().int().nonnegative(),
});
export type ServerEntry = z.infer<typeof serverEntrySchema>;

/** The source of this computer's own agent, which the user does not add or remove. */
export const LOCAL_SOURCE_ID = 'local';
export const LOCAL_NAME = 'This computer';

/** Our agent's protocols in the order "This computer" prefers them: the richest stream first. */
const LOCAL_PREFERENCE: readonly ProtocolId[] = [...PROTOCOL_IDS].sort((a, b) => PROTOCOLS[a].localRank - PROTOCOLS[b].localRank);

/** What a protocol says of a machine's state and facts; not how it says it. */
const NOT_FIGURES: readonly Capability[] = ['hostInfo', 'multiHost', 'alerts', 'tasks'];

/**
 * The endpoints "This computer" reads from the local agent, merged into one machine: the richest stream,
 * then each next protocol that brings a figure the ones before lack (our agent's socktop has no load
 * average or uptime; its vStats does). Never one that raises alerts of its own: our rules already watch
 * this machine, and a second voice would notify twice.
 */
export function localEndpoints(connect: readonly Endpoint[]): Endpoint[] {
  const chosen: Endpoint[] = [];
  const covered = new Set<Capability>();
  for (const protocol of LOCAL_PREFERENCE) {
    const found = connect.find((endpoint) => endpoint.protocol === protocol);
    const { capabilities } = PROTOCOLS[protocol];
    if (!found || (chosen.length > 0 && capabilities.includes('alerts'))) continue;
    const brings = capabilities.filter((capability) => !NOT_FIGURES.includes(capability) && !covered.has(capability));
    if (chosen.length > 0 && brings.length === 0) continue;
    chosen.push(found);
    for (const capability of brings) covered.add(capability);
  }
  return chosen;
}

export function newServerId(existing: readonly ServerEntry[], random: () => number = Math.random): string {
  const taken = new Set(existing.map((entry) => entry.id));
  for (;;) {
    const id = `srv-${Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0')}`;
    if (!taken.has(id) && id !== LOCAL_SOURCE_ID) return id;
  }
}
