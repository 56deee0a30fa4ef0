// Reads the recorded real-server sessions kept as fixtures beside each protocol (see proto/*/fixtures).

import { readFileSync } from 'node:fs';

export type RecordedEvent =
  | { t_ms: number; ev: 'upgrade'; status?: number; url?: string }
  | { t_ms: number; ev: 'open' }
  | { t_ms: number; ev: 'send'; data: string }
  | { t_ms: number; ev: 'message'; binary?: boolean; data: string; from?: 'agent' | 'server' }
  | { t_ms: number; ev: 'close'; code: number; reason?: string };

export function loadSession(file: string): RecordedEvent[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecordedEvent);
}

/** The text of every frame the real server sent, in order. */
export function serverFrames(file: string): string[] {
  return loadSession(file).flatMap((event) => (event.ev === 'message' && event.from !== 'agent' ? [event.data] : []));
}

/** In a session recorded on the server's side (a vStats agent pushing), the text of every frame the agent sent. */
export function agentFrames(file: string): string[] {
  return loadSession(file).flatMap((event) => (event.ev === 'message' && event.from === 'agent' ? [event.data] : []));
}
