import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { broadcast } from './bounded-send';

// broadcast() frames a message once and writes the same bytes to every client, bypassing ws.send: real
// clients must read exactly what ws.send would have delivered, whatever the payload's length class.

const cleanups = cleanupAfterEach();

async function serverWithClients(count: number): Promise<{ accepted: WebSocket[]; clients: WebSocket[] }> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  await new Promise((resolve) => server.once('listening', resolve));
  const accepted: WebSocket[] = [];
  server.on('connection', (socket) => accepted.push(socket));
  const { port } = server.address() as AddressInfo;
  const clients = Array.from({ length: count }, () => new WebSocket(`ws://127.0.0.1:${port}`));
  cleanups.push(...clients.map((client) => () => client.terminate()));
  await Promise.all(clients.map((client) => new Promise((resolve) => client.once('open', resolve))));
  while (accepted.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
  return { accepted, clients };
}

describe('broadcast', () => {
  it('delivers each text message whole to every client, short, 16-bit and 64-bit lengths and non-ASCII alike', async () => {
    const { accepted, clients } = await serverWithClients(3);
    const messages = ['{"type":"ping"}', `{"text":"${'é'.repeat(40_000)}"}`, 'x'.repeat(70_000), '', 'héllo ✓'];
    const received = clients.map((client) => {
      const texts: string[] = [];
      client.on('message', (data, isBinary) => texts.push(isBinary ? '<binary>' : data.toString()));
      return texts;
    });
    for (const message of messages) expect(broadcast(accepted, message)).toBe(3);
    await expect.poll(() => received.map((texts) => texts.length), { timeout: 5000 }).toEqual([5, 5, 5]);
    for (const texts of received) expect(texts).toEqual(messages);
  });

  it('interleaves whole with frames sent through ws.send, and skips a client that is no longer open', async () => {
    const { accepted, clients } = await serverWithClients(2);
    const texts: string[] = [];
    clients[0]!.on('message', (data) => texts.push(data.toString()));
    accepted[1]!.close();
    broadcast(accepted, 'one');
    accepted[0]!.send('two');
    expect(broadcast(accepted, 'three')).toBe(1);
    await expect.poll(() => texts, { timeout: 5000 }).toEqual(['one', 'two', 'three']);
  });
});
