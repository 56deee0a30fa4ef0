// Electron's `app` on Node: ready, paths, the single-instance lock and the quit sequence, in the order
// Electron documents (before-quit, will-quit, each cancellable, then quit and exit).

import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';
import { preventableEvent } from './preventable.ts';
import { record } from './record.ts';

type AppSurface = Pick<App, 'whenReady' | 'getPath' | 'setPath' | 'getAppPath' | 'requestSingleInstanceLock' | 'quit' | 'exit' | 'isPackaged'>;

/** Work that must finish before the process ends: closing the browser, telling the first instance. */
const beforeExit: (() => Promise<void>)[] = [];

export function runBeforeExit(task: () => Promise<void>): void {
  beforeExit.push(task);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

class StandInApp extends EventEmitter implements AppSurface {
  readonly isPackaged = false;
  private readonly paths = new Map<string, string>([['userData', path.join(os.tmpdir(), 'fleetwatch-standin-userdata')]]);
  private readonly ready: Promise<void>;
  private quitting = false;

  constructor() {
    super();
    this.ready = new Promise((resolve) =>
      setImmediate(() => {
        this.emit('ready');
        resolve();
      }),
    );
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  getPath(name: Parameters<App['getPath']>[0]): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`the stand-in knows no path named ${name}`);
    return value;
  }

  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }

  /** Electron answers the folder of the app's package.json: the checkout, two levels above out/main. */
  getAppPath(): string {
    return path.resolve(path.dirname(process.argv[1] ?? '.'), '../..');
  }

  /**
   * The first instance holds a lock file naming its pid and listens on a Unix socket beside it; a second
   * instance finds a live pid, sends its argv there and is told it lost, as Electron's lock behaves.
   */
  requestSingleInstanceLock(): boolean {
    const dir = this.getPath('userData');
    mkdirSync(dir, { recursive: true });
    const lockFile = path.join(dir, 'SingletonLock');
    const socketPath = path.join(dir, 'SingletonSocket');
    try {
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (holder !== process.pid && isAlive(holder)) {
        runBeforeExit(
          () =>
            new Promise((resolve) => {
              const socket = net.connect(socketPath, () => socket.end(JSON.stringify(process.argv)));
              socket.on('close', () => resolve());
              socket.on('error', () => resolve());
            }),
        );
        return false;
      }
    } catch {
      // No lock yet: this is the first instance.
    }
    writeFileSync(lockFile, String(process.pid));
    rmSync(socketPath, { force: true });
    const server = net.createServer((socket) => {
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => {
        record.secondInstances += 1;
        this.emit('second-instance', preventableEvent(), JSON.parse(text) as string[], process.cwd(), {});
      });
    });
    server.listen(socketPath);
    server.unref();
    runBeforeExit(async () => {
      server.close();
      rmSync(lockFile, { force: true });
    });
    return true;
  }

  quit(): void {
    if (this.quitting) return;
    const beforeQuit = preventableEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    const willQuit = preventableEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) return;
    this.quitting = true;
    this.emit('quit', preventableEvent(), 0);
    void this.finish(0);
  }

  exit(code = 0): void {
    this.quitting = true;
    void this.finish(code);
  }

  private async finish(code: number): Promise<void> {
    for (const task of beforeExit.splice(0)) await task().catch(() => {});
    process.exit(code);
  }
}

export const app = new StandInApp();
