// One machine reached through several servers: our agent's five endpoints added one by one, or an agent
// found on the LAN that is also "This computer". Each machine that has reported itself offers up to three
// clues, and no protocol offers all of them: its hostname (SysMedic sends none), its boot time from its
// uptime (ServerControl, the GPU stream and socktop send none), and the address it is reached at (a hub's
// hosts are reached through the hub). Two machines are the same when no clue disagrees and
// - two clues agree, or
// - one agrees and the other clue is missing because a protocol cannot give it: the hostname of a hub's
//   host, the address of a server that sends no hostname; and that machine matches no other set.
// Sets grow through one another: a hub's host joins the set its hostname names, bringing its boot time.
// The overview shows each set once, as the machine with the most to say; the others stay in the fleet
// (their history, their alerts, their own page). Pure.

import type { Machine } from './fleet';
import { isAddressLabel } from './merge';

/** Boots this close are one boot: SysMedic words its uptime to the minute, and readings are taken apart. */
export const SAME_BOOT_MS = 90_000;

/** The names of this machine's own loopback address; other 127.x addresses stay apart (tests bind them). */
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\]|::1)$/i;

interface Clues {
  machine: Machine;
  /** Its place in the fleet's order, which is the order servers were added in. */
  index: number;
  hostname: string | undefined;
  bootMs: number | undefined;
  addresses: string[];
}

function cluesOf(machine: Machine, index: number): Clues | undefined {
  // A machine that never reported itself says nothing about which machine it is.
  if (!machine.info) return undefined;
  const named = machine.info.hostname.replace(/\.$/, '').toLowerCase();
  const hostname = named && !isAddressLabel(named) ? named : undefined;
  const sample = machine.status === 'online' ? machine.sample : undefined;
  const bootMs = sample?.uptimeSec !== undefined ? sample.timeMs - sample.uptimeSec * 1000 : undefined;
  // A hub's hosts are reached through the hub: its address says nothing of where they run.
  const addresses = machine.hubHostId !== undefined ? [] : [...new Set(machine.endpoints.flatMap((endpoint) => addressOf(endpoint.url)))];
  return { machine, index, hostname, bootMs, addresses };
}

function addressOf(url: string): string[] {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return [LOOPBACK.test(host) ? 'loopback' : host];
  } catch {
    return [];
  }
}

const closeBoots = (a: number, b: number): boolean => Math.abs(a - b) <= SAME_BOOT_MS;

/** Clues of two machines, or of two sets, that do not disagree. */
function agree(a: { hostname: string | undefined; bootMs: number | undefined }, b: { hostname: string | undefined; bootMs: number | undefined }): boolean {
  if (a.hostname !== undefined && b.hostname !== undefined && a.hostname !== b.hostname) return false;
  return a.bootMs === undefined || b.bootMs === undefined || closeBoots(a.bootMs, b.bootMs);
}

/**
 * 'same': two clues agree. A list: one agrees, and these machines lack the other because their protocol
 * cannot give it; each may join the other's set if nothing else fits. Undefined: no evidence.
 */
function evidence(a: Clues, b: Clues): 'same' | Clues[] | undefined {
  if (!agree(a, b)) return undefined;
  const sameName = a.hostname !== undefined && a.hostname === b.hostname;
  const sameBoot = a.bootMs !== undefined && b.bootMs !== undefined && closeBoots(a.bootMs, b.bootMs);
  const sameAddress = a.addresses.some((address) => b.addresses.includes(address));
  if (Number(sameName) + Number(sameBoot) + Number(sameAddress) >= 2) return 'same';
  if (sameName) return [a, b].filter((item) => item.addresses.length === 0);
  if (sameAddress) return [a, b].filter((item) => item.hostname === undefined);
  return undefined;
}

/** Union-find over machines, each set holding the clues its members brought. */
class MachineSets {
  private readonly parent = new Map<Clues, Clues>();
  private readonly merged = new Map<Clues, { hostname: string | undefined; bootMs: number | undefined }>();

  find(item: Clues): Clues {
    let root = item;
    for (let up = this.parent.get(root); up && up !== root; up = this.parent.get(root)) root = up;
    this.parent.set(item, root);
    return root;
  }

  clues(root: Clues): { hostname: string | undefined; bootMs: number | undefined } {
    return this.merged.get(root) ?? { hostname: root.hostname, bootMs: root.bootMs };
  }

  /** Joins the two sets when their clues still agree. */
  join(a: Clues, b: Clues): boolean {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return true;
    const cluesA = this.clues(rootA);
    const cluesB = this.clues(rootB);
    if (!agree(cluesA, cluesB)) return false;
    this.parent.set(rootB, rootA);
    this.merged.set(rootA, { hostname: cluesA.hostname ?? cluesB.hostname, bootMs: cluesA.bootMs ?? cluesB.bootMs });
    return true;
  }
}

/** Pairs worth weighing: the same hostname, or the same address where one side sends no hostname. */
function candidatePairs(items: readonly Clues[]): [Clues, Clues][] {
  const pairs: [Clues, Clues][] = [];
  const byName = new Map<string, Clues[]>();
  const byAddress = new Map<string, Clues[]>();
  for (const item of items) {
    if (item.hostname !== undefined) push(byName, item.hostname, item);
    for (const address of item.addresses) push(byAddress, address, item);
  }
  for (const bucket of byName.values()) for (let i = 0; i < bucket.length; i += 1) for (let j = i + 1; j < bucket.length; j += 1) pairs.push([bucket[i]!, bucket[j]!]);
  for (const bucket of byAddress.values()) {
    for (const unnamed of bucket) {
      if (unnamed.hostname !== undefined) continue;
      for (const other of bucket) if (other !== unnamed && !(other.hostname === undefined && other.index < unnamed.index)) pairs.push([unnamed, other]);
    }
  }
  return pairs;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The one to show: this computer, else the one read through the most protocols, else not a hub's host, else the first added. */
function showFirst(a: Clues, b: Clues): number {
  if (a.machine.local !== b.machine.local) return a.machine.local ? -1 : 1;
  const hubHost = (item: Clues): number => (item.machine.hubHostId === undefined ? 0 : 1);
  return b.machine.protocols.length - a.machine.protocols.length || hubHost(a) - hubHost(b) || a.index - b.index;
}

/** For each machine that is another one seen again, the key of the one shown in its place. */
export function sameMachines(machines: readonly Machine[]): Map<string, string> {
  const items = machines.flatMap((machine, index) => cluesOf(machine, index) ?? []);
  const sets = new MachineSets();
  const weak = new Map<Clues, Clues[]>();
  for (const [a, b] of candidatePairs(items)) {
    const found = evidence(a, b);
    if (found === 'same') sets.join(a, b);
    else for (const uncertain of found ?? []) push(weak, uncertain, uncertain === a ? b : a);
  }
  // A weak clue counts only when it points at one set: a nameless server at an address shared by two
  // named machines could be either.
  for (const [item, others] of [...weak].sort(([a], [b]) => a.index - b.index)) {
    const own = sets.find(item);
    const targets = new Set(others.map((other) => sets.find(other)).filter((root) => root !== own && agree(sets.clues(own), sets.clues(root))));
    if (targets.size === 1) sets.join(item, [...targets][0]!);
  }
  const members = new Map<Clues, Clues[]>();
  for (const item of items) push(members, sets.find(item), item);
  const shownAs = new Map<string, string>();
  for (const set of members.values()) {
    if (set.length < 2) continue;
    const [shown, ...others] = set.sort(showFirst);
    for (const other of others) shownAs.set(other.machine.key, shown!.machine.key);
  }
  return shownAs;
}
