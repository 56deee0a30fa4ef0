// Wires the channel table to ipcMain: every message from the renderer is checked for its sender and
// validated before its handler runs; events go to the app's window only. The decisions live in validators.ts.

import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, type EventKey, type InputOf, type InvokeKey, type OutputOf, type PayloadOf, type SendKey } from './channels';
import { isAppUrl, validateInput, type AppEntry } from './validators';

export type InvokeHandlers = { [K in InvokeKey]: (input: InputOf<K>) => OutputOf<K> | Promise<OutputOf<K>> };
export type SendHandlers = { [K in SendKey]: (input: InputOf<K>) => void };

export interface IpcRegistration {
  ipcMain: IpcMain;
  entry: AppEntry;
  invoke: InvokeHandlers;
  send: SendHandlers;
  /** Rejected messages are logged, never answered with details a hostile page could use. */
  log: (line: string) => void;
}

function senderUrl(event: IpcMainEvent | IpcMainInvokeEvent): string | undefined {
  return event.senderFrame?.url;
}

export function registerIpc(registration: IpcRegistration): void {
  const { ipcMain, entry, log } = registration;
  for (const key of Object.keys(registration.invoke) as InvokeKey[]) {
    const handler = registration.invoke[key] as (input: unknown) => unknown;
    ipcMain.handle(CHANNELS[key].name, async (event, ...args: unknown[]) => {
      if (!isAppUrl(senderUrl(event), entry)) {
        log(`ipc: refused ${key} from ${senderUrl(event) ?? 'an unknown frame'}`);
        throw new Error('refused');
      }
      const input = validateInput(key, args);
      if (!input.ok) {
        log(`ipc: invalid ${input.problem}`);
        throw new Error(input.problem);
      }
      return handler(input.value);
    });
  }
  for (const key of Object.keys(registration.send) as SendKey[]) {
    const handler = registration.send[key] as (input: unknown) => void;
    ipcMain.on(CHANNELS[key].name, (event, ...args: unknown[]) => {
      if (!isAppUrl(senderUrl(event), entry)) {
        log(`ipc: refused ${key} from ${senderUrl(event) ?? 'an unknown frame'}`);
        return;
      }
      const input = validateInput(key, args);
      if (input.ok) handler(input.value);
      else log(`ipc: invalid ${input.problem}`);
    });
  }
}

/** Pushes one event to a window's page, if it is still there. */
export function sendEvent<K extends EventKey>(contents: WebContents | undefined, key: K, payload: PayloadOf<K>): void {
  if (contents && !contents.isDestroyed()) contents.send(CHANNELS[key].name, payload);
}
