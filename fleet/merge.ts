// Merges what several protocols say about one machine, field by field: each field comes from the richest
// protocol that carries it (the lowest merge rank in its descriptor). Pure; knows nothing of connections or React.

import type { HostInfo, Sample } from '../proto/model';
import { PROTOCOLS, type ProtocolId } from '../proto/protocols';

/** Richest first, by each protocol's merge rank. */
export function byPriority<T extends { protocol: ProtocolId }>(parts: readonly T[]): T[] {
  return [...parts].sort((a, b) => PROTOCOLS[a.protocol].mergeRank - PROTOCOLS[b.protocol].mergeRank);
}

/** Copies the defined fields of each object, later objects winning: an absent field never erases one. */
function definedMerge<T extends object>(objects: readonly (T | undefined)[]): T | undefined {
  let merged: Record<string, unknown> | undefined;
  for (const object of objects) {
    if (!object) continue;
    merged ??= {};
    for (const [key, value] of Object.entries(object)) if (value !== undefined) merged[key] = value;
  }
  return merged as T | undefined;
}

function firstDefined<T>(values: readonly (T | undefined)[]): T | undefined {
  return values.find((value) => value !== undefined);
}

function firstNonEmpty<T>(values: readonly (T[] | undefined)[]): T[] | undefined {
  return values.find((value) => value !== undefined && value.length > 0) ?? firstDefined(values);
}

/** What a host page charts or lists, each of which may come from another protocol of the machine. */
export const FIGURES = ['cpu', 'perCore', 'cpuTemp', 'load', 'memory', 'swap', 'network', 'gpus', 'disks', 'processes', 'uptime'] as const;
export type Figure = (typeof FIGURES)[number];

const CARRIES: Record<Figure, (sample: Sample) => boolean> = {
  cpu: (sample) => sample.cpu?.totalPercent !== undefined,
  perCore: (sample) => (sample.cpu?.perCorePercent?.length ?? 0) > 0,
  cpuTemp: (sample) => sample.cpu?.tempC !== undefined,
  load: (sample) => sample.cpu?.load !== undefined,
  memory: (sample) => sample.memory?.usedPercent !== undefined,
  swap: (sample) => sample.memory?.swapTotalBytes !== undefined,
  network: (sample) => sample.network?.rxBytesPerSec !== undefined || (sample.network?.interfaces?.length ?? 0) > 0,
  gpus: (sample) => (sample.gpus?.length ?? 0) > 0,
  disks: (sample) => (sample.disks?.length ?? 0) > 0 || sample.diskUsedPercent !== undefined,
  processes: (sample) => sample.processes !== undefined,
  uptime: (sample) => sample.uptimeSec !== undefined,
};

/** Which protocol each figure of `mergeSamples` comes from: the richest that carries it, as the merge takes it. */
export function figureSources(parts: readonly { protocol: ProtocolId; sample: Sample }[]): Partial<Record<Figure, ProtocolId>> {
  const ordered = byPriority(parts);
  const sources: Partial<Record<Figure, ProtocolId>> = {};
  for (const figure of FIGURES) {
    const from = ordered.find((part) => CARRIES[figure](part.sample));
    if (from) sources[figure] = from.protocol;
  }
  return sources;
}

/** Merges the latest samples of one machine's protocols; `parts` in priority order, richest first. */
export function mergeSamples(parts: readonly { protocol: ProtocolId; sample: Sample }[]): Sample | undefined {
  if (parts.length === 0) return undefined;
  // Most machines speak one protocol: their sample is already what a merge would copy, field by field.
  if (parts.length === 1) return parts[0]!.sample;
  const ordered = byPriority(parts).map((part) => part.sample);
  const weakestFirst = [...ordered].reverse();
  const merged: Sample = { timeMs: Math.max(...ordered.map((sample) => sample.timeMs)) };
  const cpu = definedMerge(weakestFirst.map((sample) => sample.cpu));
  const memory = definedMerge(weakestFirst.map((sample) => sample.memory));
  const network = definedMerge(weakestFirst.map((sample) => sample.network));
  if (cpu) merged.cpu = cpu;
  if (memory) merged.memory = memory;
  if (network) merged.network = network;
  const gpus = firstNonEmpty(ordered.map((sample) => sample.gpus));
  const disks = firstNonEmpty(ordered.map((sample) => sample.disks));
  const processes = firstDefined(ordered.map((sample) => sample.processes));
  const diskUsedPercent = firstDefined(ordered.map((sample) => sample.diskUsedPercent));
  const uptimeSec = firstDefined(ordered.map((sample) => sample.uptimeSec));
  const processCount = firstDefined(ordered.map((sample) => sample.processCount));
  if (gpus) merged.gpus = gpus;
  if (disks) merged.disks = disks;
  if (processes) merged.processes = processes;
  if (diskUsedPercent !== undefined) merged.diskUsedPercent = diskUsedPercent;
  if (uptimeSec !== undefined) merged.uptimeSec = uptimeSec;
  if (processCount !== undefined) merged.processCount = processCount;
  return merged;
}

/** The `host:port` label a protocol that never says its hostname is known by: it names no machine. */
export function isAddressLabel(hostname: string): boolean {
  return /:\d+$/.test(hostname);
}

/** Merges static info; a real hostname beats the `host:port` label a protocol falls back to. */
export function mergeInfo(parts: readonly { protocol: ProtocolId; info: HostInfo }[]): HostInfo | undefined {
  if (parts.length === 0) return undefined;
  const ordered = byPriority(parts).map((part) => part.info);
  const merged = definedMerge([...ordered].reverse())!;
  merged.hostname = ordered.map((info) => info.hostname).find((name) => name && !isAddressLabel(name)) ?? ordered[0]!.hostname;
  const gpus = firstNonEmpty(ordered.map((info) => info.gpus));
  if (gpus) merged.gpus = gpus;
  return merged;
}

/** Whether a protocol reports several hosts per connection (a vStats hub). */
export function isMultiHost(protocol: ProtocolId): boolean {
  return PROTOCOLS[protocol].capabilities.includes('multiHost');
}
