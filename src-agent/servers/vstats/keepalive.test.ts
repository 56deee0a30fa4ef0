import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../../test-support/ws-recorder';
import { Keepalive } from './keepalive';
import { cleanupAfterEach } from '../../../test-support/cleanups';

const cleanups = cleanupAfterEach();

async function serverWithKeepalive(intervalMs: number) {
  const keepalive = new Keepalive({ intervalMs, missedLimit: 2 });
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket) => keepalive.watch(socket));
  await new Promise((resolve) => wss.once('listening', resolve));
  cleanups.push(() => new Promise((resolve) => {
    keepalive.close();
    for (const client of wss.clients) client.terminate();
    wss.close(resolve);
  }));
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

function client(url: string, autoPong: boolean) {
  const socket = new WebSocket(url, { autoPong });
  const pings: number[] = [];
  socket.on('ping', () => pings.push(Date.now()));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  cleanups.push(() => socket.terminate());
  return { socket, pings, closed, opened: new Promise((resolve) => socket.once('open', resolve)) };
}

describe('vstats keepalive', () => {
  it('pings every interval and keeps a peer that answers', async () => {
    const url = await serverWithKeepalive(100);
    const peer = client(url, true);
    await peer.opened;
    await sleep(650);
    expect(peer.pings.length).toBeGreaterThanOrEqual(3);
    expect(peer.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates a peer that leaves two pings in a row unanswered, and only that one', async () => {
    const url = await serverWithKeepalive(100);
    const silent = client(url, false);
    const answering = client(url, true);
    await Promise.all([silent.opened, answering.opened]);
    const code = await Promise.race([silent.closed, sleep(3000).then(() => 'still open')]);
    expect(code).toBe(1006);
    expect(silent.pings.length).toBe(2);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });
});
