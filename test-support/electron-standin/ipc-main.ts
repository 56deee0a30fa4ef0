// Electron's ipcMain: invoke/handle and send/on between the window's preload and the main process. The
// messages cross a real channel (a Playwright binding over CDP); an invoke whose handler throws rejects in
// the page with Electron's own wording.

import { EventEmitter } from 'node:events';
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { record } from './record.ts';

type Handler = Parameters<IpcMain['handle']>[1];

/** What handlers read of an event: who sent it and from which URL. */
export interface IpcEventLike {
  sender: unknown;
  senderFrame: { url: string };
}

class StandInIpcMain extends EventEmitter implements Pick<IpcMain, 'handle' | 'removeHandler'> {
  private readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
    record.ipc.handle.push(channel);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  override on(channel: string | symbol, listener: (...args: never[]) => void): this {
    if (typeof channel === 'string') record.ipc.on.push(channel);
    return super.on(channel, listener as (...args: unknown[]) => void);
  }

  async invokeFromPage(event: IpcEventLike, channel: string, args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
    try {
      // Handlers read only `sender` and `senderFrame.url` of the event, which the stand-in provides.
      return await handler(event as unknown as IpcMainInvokeEvent, ...args);
    } catch (error) {
      throw new Error(`Error invoking remote method '${channel}': ${String(error)}`);
    }
  }

  sendFromPage(event: IpcEventLike, channel: string, args: unknown[]): void {
    this.emit(channel, event, ...args);
  }
}

export const ipcMain = new StandInIpcMain();
