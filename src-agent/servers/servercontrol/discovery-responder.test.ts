import dgram from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestAgent, type TestAgent } from '../../../test-support/test-agent';
import { connectRecorder, ofType, sleep } from '../../../test-support/ws-recorder';
import { discoveryRepliesFlag } from './flags';

const MAX_REPLIES_PER_SECOND = discoveryRepliesFlag.defaultValue;

const sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A loopback UDP client that records every answer it gets. */
async function udpClient(): Promise<{ send(data: string | Buffer, port: number): void; answers: { text: string; port: number }[] }> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  const answers: { text: string; port: number }[] = [];
  socket.on('message', (message, remote) => answers.push({ text: message.toString('utf8'), port: remote.port }));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { answers, send: (data, port) => socket.send(data, port, '127.0.0.1') };
}

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  for (let waited = 0; waited < timeoutMs && !predicate(); waited += 20) await sleep(20);
}

/** Two UDP ports free on loopback right now. */
async function freeUdpPorts(): Promise<[number, number]> {
  const probes = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
  await Promise.all(probes.map((probe) => new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve))));
  const ports = probes.map((probe) => probe.address().port) as [number, number];
  await Promise.all(probes.map((probe) => new Promise<void>((resolve) => probe.close(resolve))));
  return ports;
}

let agent: TestAgent;
let discoveryPorts: [number, number];
beforeAll(async () => {
  discoveryPorts = await freeUdpPorts();
  agent = await startTestAgent(['--servercontrol-discovery-ports', discoveryPorts.join(',')]);
});
afterAll(() => agent.close());

describe('servercontrol discovery responder', () => {
  it('listens on every discovery port, bound to the agent host (loopback by default)', () => {
    const bound = agent.endpoints.filter((endpoint) => endpoint.owner === 'servercontrol' && endpoint.role === 'discovery');
    expect(bound.map((endpoint) => [endpoint.kind, endpoint.host, endpoint.port])).toEqual(
      expect.arrayContaining(discoveryPorts.map((port) => ['udp', '127.0.0.1', port])),
    );
    expect(bound).toHaveLength(2);
  });

  it('answers DISCOVER_SERVER by unicast with the actual ports of every protocol the agent serves', async () => {
    const client = await udpClient();
    for (const port of discoveryPorts) client.send('DISCOVER_SERVER', port);
    await waitFor(() => client.answers.length === 2, 3000);
    expect(client.answers.map((answer) => answer.port).sort()).toEqual([...discoveryPorts].sort());

    const hostname = (await agent.sampler.hostInfo()).hostname;
    const portOf = (owner: string, kind = 'ws'): number | undefined => agent.endpoints.find((endpoint) => endpoint.owner === owner && endpoint.kind === kind)?.port;
    for (const answer of client.answers) {
      const parsed = JSON.parse(answer.text) as Record<string, unknown>;
      expect(answer.text).toBe(JSON.stringify(parsed));
      const extras: Record<string, number> = {};
      for (const [key, owner] of [['gpu_usage_port', 'gpu-usage'], ['socktop_port', 'socktop'], ['vstats_port', 'vstats'], ['sysmedic_port', 'sysmedic']] as const) {
        const port = portOf(owner);
        if (port !== undefined) extras[key] = port;
      }
      expect(parsed).toEqual({
        type: 'SERVER_RESPONSE',
        hostname,
        port: portOf('servercontrol', 'http'),
        ws_port: portOf('servercontrol'),
        discovery_port: answer.port,
        ...extras,
        agent: 'fleetwatch',
      });
      expect(extras.gpu_usage_port).toBe(portOf('gpu-usage'));
    }
  });

  it('points ws_port at a stream that really serves stats_update', async () => {
    const client = await udpClient();
    client.send('DISCOVER_SERVER', discoveryPorts[0]);
    await waitFor(() => client.answers.length === 1, 3000);
    const { ws_port } = JSON.parse(client.answers[0]!.text) as { ws_port: number };
    const stream = await connectRecorder(`ws://127.0.0.1:${ws_port}/`);
    await stream.next(ofType('stats_update'), 3000);
    stream.close();
  });

  it('ignores anything but exactly DISCOVER_SERVER, and datagrams over 128 bytes', async () => {
    const client = await udpClient();
    const junk = ['DISCOVER_SERVER\n', 'discover_server', 'DISCOVER_SERVE', ' DISCOVER_SERVER', 'DISCOVER_SERVER'.padEnd(129, ' '), 'DISCOVER_SERVER'.repeat(20), '{"type":"DISCOVER_SERVER"}'];
    for (const datagram of junk) client.send(datagram, discoveryPorts[0]);
    client.send(Buffer.from([0, 1, 2, 255, 254]), discoveryPorts[0]);
    client.send(Buffer.alloc(60_000, 0x41), discoveryPorts[0]);
    client.send('DISCOVER_SERVER', discoveryPorts[1]);
    await waitFor(() => client.answers.length >= 1, 3000);
    await sleep(300);
    expect(client.answers.map((answer) => answer.port)).toEqual([discoveryPorts[1]]);
  });

  it('caps its replies per second so a flood of requests cannot be amplified', async () => {
    const client = await udpClient();
    const sent = MAX_REPLIES_PER_SECOND * 3;
    for (let index = 0; index < sent; index += 1) client.send('DISCOVER_SERVER', discoveryPorts[0]);
    await waitFor(() => client.answers.length > 0, 3000);
    await sleep(500);
    // The flood takes far less than a second, so it straddles at most two rate windows.
    expect(client.answers.length).toBeGreaterThan(0);
    expect(client.answers.length).toBeLessThanOrEqual(MAX_REPLIES_PER_SECOND * 2);
  });

  it('logs ignored datagrams at debug level only', () => {
    const lines = agent.logs.filter((line) => line.includes('[servercontrol]'));
    expect(lines.some((line) => line.includes(' debug ') && line.includes('ignored a'))).toBe(true);
    expect(lines.filter((line) => / (error|warn) /.test(line))).toEqual([]);
  });
});
