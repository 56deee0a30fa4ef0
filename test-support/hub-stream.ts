// Follows a hub's /api/hub/stream from Node as a page would: applies the snapshot and every delta to a map
// of host views, and hands each message and the time it arrived to the caller until it says stop.

import type { HostView, HubMessage } from '../fleet/hub-view';

export interface FollowOptions {
  token: string;
  timeoutMs?: number;
  /** Called after each message is applied; true ends the follow. */
  until(hosts: Map<string, HostView>, message: HubMessage, arrivedMs: number): boolean;
}

/** Resolves with the hosts and the stream's raw text once `until` holds; rejects on timeout. */
export async function followHub(base: string, options: FollowOptions): Promise<{ hosts: Map<string, HostView>; text: string }> {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? 15_000;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const hosts = new Map<string, HostView>();
  let text = '';
  let pending = '';
  try {
    const response = await fetch(new URL('/api/hub/stream', base), { headers: { Authorization: `Bearer ${options.token}` }, signal: controller.signal });
    if (response.status !== 200) throw new Error(`the hub's stream answered ${response.status}: ${await response.text()}`);
    for await (const chunk of response.body!.pipeThrough(new TextDecoderStream())) {
      const arrivedMs = Date.now();
      text += chunk;
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (!block.startsWith('data: ')) continue;
        const message = JSON.parse(block.slice(6)) as HubMessage;
        if (message.kind === 'snapshot') {
          hosts.clear();
          for (const host of message.hosts) hosts.set(host.key, host);
        } else {
          for (const host of message.upserts) hosts.set(host.key, host);
          for (const { key, sample } of message.readings) {
            const host = hosts.get(key);
            if (host) hosts.set(key, { ...host, sample });
          }
          for (const key of message.removed) hosts.delete(key);
        }
        if (options.until(hosts, message, arrivedMs)) return { hosts, text };
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  throw new Error(`the hub's stream never got there within ${timeoutMs} ms; hosts: ${hosts.size}, online: ${[...hosts.values()].filter((host) => host.status === 'online').length}`);
}
