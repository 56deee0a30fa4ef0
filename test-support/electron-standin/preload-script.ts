// The page-side half of the stand-in's IPC: the real preload bundle runs before the page's scripts with
// `require('electron')` answered by a contextBridge and an ipcRenderer that talk to the main process
// through the `__standinIpc` binding; the main process delivers `webContents.send` through
// `__standinDeliver`.

export const IPC_BINDING = '__standinIpc';
export const DELIVER_FUNCTION = '__standinDeliver';

export function preloadInitScript(preloadSource: string): string {
  return `(() => {
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => window.${IPC_BINDING}('invoke', channel, args),
    send: (channel, ...args) => void window.${IPC_BINDING}('send', channel, args),
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  Object.defineProperty(window, ${JSON.stringify(DELIVER_FUNCTION)}, {
    value: (channel, args) => {
      for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer }, ...args);
    },
  });
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
    },
  };
  const module = { exports: {} };
  const require = (id) => {
    if (id === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('a sandboxed preload may require only electron, not ' + id);
  };
  (function (module, exports, require) {
${preloadSource}
  })(module, module.exports, require);
})();`;
}
