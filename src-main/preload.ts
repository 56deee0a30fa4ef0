// The preload bridge: implements the renderer's Platform over typed IPC and exposes it as
// window.fleetwatch. Named functions only; ipcRenderer itself never reaches the page. Runs sandboxed, so
// it is bundled to one CommonJS file that requires nothing but electron.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ShellPlatform, Unsubscribe } from '../src-renderer/platform/platform';
import { CHANNELS, type EventKey, type InputOf, type InvokeKey, type OutputOf, type PayloadOf, type SendKey } from './ipc/channels';

function invoke<K extends InvokeKey>(key: K, ...input: InputOf<K> extends undefined ? [] : [InputOf<K>]): Promise<OutputOf<K>> {
  return ipcRenderer.invoke(CHANNELS[key].name, ...input) as Promise<OutputOf<K>>;
}

function send<K extends SendKey>(key: K, input: InputOf<K>): void {
  ipcRenderer.send(CHANNELS[key].name, input);
}

function subscribe<K extends EventKey>(key: K, listener: (payload: PayloadOf<K>) => void): Unsubscribe {
  const forward = (_event: IpcRendererEvent, payload: PayloadOf<K>): void => listener(payload);
  ipcRenderer.on(CHANNELS[key].name, forward);
  return () => {
    ipcRenderer.removeListener(CHANNELS[key].name, forward);
  };
}

const platform: ShellPlatform = {
  kind: 'electron',
  loadSettings: () => invoke('loadSettings'),
  saveSettings: (settings) => invoke('saveSettings', settings),
  localAgent: {
    get: () => invoke('getAgentStatus'),
    subscribe: (listener) => subscribe('agentStatus', listener),
    retry: () => invoke('retryAgent'),
  },
  discovery: {
    get: () => invoke('getDiscovery'),
    scan: () => invoke('scanDiscovery'),
    subscribe: (listener) => subscribe('discoveryState', listener),
  },
  notify: (notification) => send('notify', notification),
  publishFleet: (fleet) => send('publishFleet', fleet),
  onOpenHost: (listener) => subscribe('openHost', listener),
};

contextBridge.exposeInMainWorld('fleetwatch', platform);
