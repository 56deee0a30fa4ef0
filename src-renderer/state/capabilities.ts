// What a machine's protocols can and cannot show, in words for the host view ("say what its protocol
// lacks"). Pure: reads the protocol catalog only.

import { CAPABILITY_LABELS, type Capability } from '../../proto/model';
import { PROTOCOLS, type ProtocolId } from '../../proto/protocols';
import type { Machine } from '../../fleet/fleet';
import type { Figure } from '../../fleet/merge';

/** Capabilities a person would miss on a host page, in the order the page shows them. */
const SHOWN: readonly Capability[] = ['cpuPerCore', 'cpuTemp', 'load', 'memoryBytes', 'swap', 'gpu', 'gpuTemp', 'disks', 'network', 'processes', 'uptime', 'alerts', 'tasks'];

export interface CapabilityReport {
  /** Labels of what none of the machine's protocols carries. */
  missing: string[];
  /** Each protocol's own note on what it cannot carry. */
  notes: { protocol: ProtocolId; label: string; text: string }[];
}

export function capabilityReport(protocols: readonly ProtocolId[]): CapabilityReport {
  const have = new Set(protocols.flatMap((protocol) => PROTOCOLS[protocol].capabilities));
  const missing = SHOWN.filter((capability) => !have.has(capability) && !(capability === 'disks' && have.has('diskPercent'))).map((capability) => CAPABILITY_LABELS[capability]);
  const notes = protocols.flatMap((protocol) => (PROTOCOLS[protocol].lacks ? [{ protocol, label: PROTOCOLS[protocol].label, text: PROTOCOLS[protocol].lacks! }] : []));
  return { missing, notes };
}

export function has(protocols: readonly ProtocolId[], capability: Capability): boolean {
  return protocols.some((protocol) => PROTOCOLS[protocol].capabilities.includes(capability));
}

/** The protocol a figure came from, by its label, on a machine read through several; undefined otherwise. */
export function figureSource(machine: Machine, figure: Figure): string | undefined {
  const protocol = machine.figureSources?.[figure];
  return protocol ? PROTOCOLS[protocol].label : undefined;
}
