import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import { integerAfter, openRawClients } from './raw-ws-clients';

const servers: WebSocketServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(options: ConstructorParameters<typeof WebSocketServer>[0] = {}): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, ...options });
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/stream?x=1` };
}

describe('raw bench clients', () => {
  it('send their first message masked, on the path and query of the URL', async () => {
    const { server, url } = await listen();
    const heard: string[] = [];
    server.on('connection', (socket, request) => socket.on('message', (data) => heard.push(`${request.url} ${data.toString()}`)));
    const clients = await openRawClients(url, 3, { firstMessage: 'subscribe:usage', onFrame: () => {} }, 2);
    await expect.poll(() => heard).toEqual(Array(3).fill('/stream?x=1 subscribe:usage'));
    await clients.close();
  });

  it('read every frame length, several in one TCP read or one across many', async () => {
    const { server, url } = await listen();
    const texts = ['short', 'm'.repeat(300), 'l'.repeat(70_000), '{"type":"stats_update","timestamp":1764979200123}'];
    server.on('connection', (socket) => {
      for (const text of texts) socket.send(text);
    });
    const seen: string[] = [];
    const clients = await openRawClients(url, 1, { onFrame: (payload) => seen.push(payload.toString()) });
    await expect.poll(() => seen.length).toBe(texts.length);
    expect(seen).toEqual(texts);
    await clients.close();
  });

  it('answer a ping with its pong, as a real client does', async () => {
    const { server, url } = await listen();
    const pongs: string[] = [];
    server.on('connection', (socket) => {
      socket.on('pong', (data) => pongs.push(data.toString()));
      socket.ping('are you there');
    });
    const clients = await openRawClients(url, 2, { onFrame: () => {} });
    await expect.poll(() => pongs).toEqual(['are you there', 'are you there']);
    await clients.close();
  });

  it('say why a server refused the upgrade', async () => {
    const { url } = await listen({ verifyClient: (_info, done) => done(false, 401, 'Unauthorized') });
    await expect(openRawClients(url, 1, { onFrame: () => {} })).rejects.toThrow(/refused the upgrade: HTTP\/1.1 401/);
  });

  it('read an integer field without decoding the payload', () => {
    const payload = Buffer.from('{"type":"stats_update","cpu":2.5,"timestamp":1764979200123,"hostname":"a"}');
    expect(integerAfter(payload, 'timestamp')).toBe(1764979200123);
    expect(integerAfter(payload, 'missing')).toBeUndefined();
    expect(integerAfter(Buffer.from('{"timestamp":null}'), 'timestamp')).toBeUndefined();
  });
});
