// The one table of IPC channels between the main process and the preload, with the types they carry.
// Shared by both sides; holds no validation code (zod stays in main, the sandboxed preload cannot load it).

import type { DiscoveryState } from '../../proto/discovery';
import type { AppNotification, FleetSnapshot, LoadedSettings, LocalAgentStatus } from '../../src-renderer/platform/platform';
import type { Settings } from '../../src-renderer/platform/settings';

/**
 * `invoke`: the renderer asks and awaits an answer. `send`: the renderer tells, no answer.
 * `event`: the main process pushes to the renderer.
 */
export const CHANNELS = {
  loadSettings: { name: 'fleetwatch:settings:load', kind: 'invoke' },
  saveSettings: { name: 'fleetwatch:settings:save', kind: 'invoke' },
  getAgentStatus: { name: 'fleetwatch:agent:get', kind: 'invoke' },
  retryAgent: { name: 'fleetwatch:agent:retry', kind: 'invoke' },
  getDiscovery: { name: 'fleetwatch:discovery:get', kind: 'invoke' },
  scanDiscovery: { name: 'fleetwatch:discovery:scan', kind: 'invoke' },
  notify: { name: 'fleetwatch:notify', kind: 'send' },
  publishFleet: { name: 'fleetwatch:fleet', kind: 'send' },
  agentStatus: { name: 'fleetwatch:agent:status', kind: 'event' },
  discoveryState: { name: 'fleetwatch:discovery:state', kind: 'event' },
  openHost: { name: 'fleetwatch:host:open', kind: 'event' },
} as const;

/** What each channel carries. `input` is what the renderer sends (undefined for none); `output` the answer. */
export interface ChannelTypes {
  loadSettings: { input: undefined; output: LoadedSettings };
  saveSettings: { input: Settings; output: void };
  getAgentStatus: { input: undefined; output: LocalAgentStatus };
  retryAgent: { input: undefined; output: void };
  getDiscovery: { input: undefined; output: DiscoveryState };
  scanDiscovery: { input: undefined; output: void };
  notify: { input: AppNotification; output: void };
  publishFleet: { input: FleetSnapshot; output: void };
  agentStatus: { payload: LocalAgentStatus };
  discoveryState: { payload: DiscoveryState };
  openHost: { payload: string };
}

export type ChannelKey = keyof typeof CHANNELS;
type KeysOfKind<Kind> = { [K in ChannelKey]: (typeof CHANNELS)[K]['kind'] extends Kind ? K : never }[ChannelKey];
export type InvokeKey = KeysOfKind<'invoke'>;
export type SendKey = KeysOfKind<'send'>;
export type EventKey = KeysOfKind<'event'>;
/** Channels whose input comes from the (untrusted) renderer. */
export type RendererKey = InvokeKey | SendKey;

export type InputOf<K extends RendererKey> = ChannelTypes[K]['input'];
export type OutputOf<K extends RendererKey> = ChannelTypes[K]['output'];
export type PayloadOf<K extends EventKey> = ChannelTypes[K]['payload'];
