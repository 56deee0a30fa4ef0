import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import WebSocket, { WebSocketServer } from 'ws';
import { describe, expect, it } from 'vitest';
import { startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { connectRecorder, ofType, sleep, type Recorder } from '../../test-support/ws-recorder';
import { assignBackpressure, broadcast } from './bounded-send';
import { ConnectionTracker } from './limits';
import { RateLimiter } from './rate-limiter';
import { RequestRateTable } from './request-rate';
import { cleanupAfterEach } from '../../test-support/cleanups';

const cleanups = cleanupAfterEach();

async function agentWith(args: string[]): Promise<TestAgent> {
  const agent = await startTestAgent(args);
  cleanups.push(() => agent.close());
  return agent;
}

/** Opens a WebSocket and says whether the agent accepted it. */
function tryOpen(url: string, headers: Record<string, string> = {}): Promise<{ open: boolean; status?: number; socket?: WebSocket }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      cleanups.push(() => socket.terminate());
      resolve({ open: true, socket });
    });
    socket.once('unexpected-response', (_request, response) => resolve({ open: false, status: response.statusCode }));
    socket.once('error', () => resolve({ open: false }));
  });
}

function httpStatus(url: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end(body);
  });
}

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A GET on a fresh connection from `localAddress` (any 127.x address works on Linux loopback). */
function httpGetFrom(url: string, localAddress = '127.0.0.1'): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { localAddress, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
  });
}

describe('connection limits', () => {
  it('refuses connections past --max-connections-per-ip and admits again once one closes', async () => {
    const agent = await agentWith(['--max-connections-per-ip', '3']);
    const url = agent.url('servercontrol');
    const first = await Promise.all([tryOpen(url), tryOpen(url), tryOpen(url)]);
    expect(first.every((attempt) => attempt.open)).toBe(true);
    expect((await tryOpen(url)).open).toBe(false);
    expect((await tryOpen(agent.url('gpu-usage'))).open).toBe(false);
    first[0]!.socket!.terminate();
    await sleep(200);
    expect((await tryOpen(url)).open).toBe(true);
  });

  it('refuses connections past --max-connections across every protocol', async () => {
    const agent = await agentWith(['--max-connections', '2']);
    expect((await tryOpen(agent.url('servercontrol'))).open).toBe(true);
    expect((await tryOpen(agent.url('gpu-usage'))).open).toBe(true);
    expect((await tryOpen(agent.connect.find((endpoint) => endpoint.protocol === 'sysmedic')!.url)).open).toBe(false);
  });

  it('counts and releases slots exactly', () => {
    const tracker = new ConnectionTracker(3, 2);
    expect([tracker.admit('a'), tracker.admit('a'), tracker.admit('a')]).toEqual(['ok', 'ok', 'per-address']);
    expect([tracker.admit('b'), tracker.admit('c')]).toEqual(['ok', 'total']);
    tracker.release('a');
    tracker.release('zzz');
    expect(tracker.open).toBe(2);
    expect(tracker.admit('c')).toBe('ok');
  });
});

describe('handshake timeout', () => {
  it('drops a connection that sends nothing, or half a request, within --handshake-timeout', async () => {
    const agent = await agentWith(['--handshake-timeout', '1']);
    const { port } = agent.endpoint('servercontrol', 'stream');
    const closedAfter = (payload: string): Promise<number> =>
      new Promise((resolve) => {
        const started = Date.now();
        const socket = net.connect(port, '127.0.0.1', () => payload && socket.write(payload));
        socket.on('error', () => {});
        socket.on('close', () => resolve(Date.now() - started));
      });
    const [silent, partial] = await Promise.all([closedAfter(''), closedAfter('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n')]);
    expect(silent).toBeGreaterThanOrEqual(900);
    expect(silent).toBeLessThan(5000);
    expect(partial).toBeLessThan(5000);
    const stillServing = await connectRecorder(agent.url('servercontrol'));
    await stillServing.next(ofType('stats_update'), 3000);
    stillServing.close();
  });
});

describe('message rate and frame size', () => {
  it('closes a client that sends faster than --max-messages-per-second with 1008, and spares one that does not', async () => {
    const agent = await agentWith(['--max-messages-per-second', '5']);
    const calm = await connectRecorder(agent.url('servercontrol'));
    const flood = await connectRecorder(agent.url('servercontrol'));
    for (let index = 0; index < 30; index++) flood.send('{"type":"ping"}');
    calm.send('{"type":"ping"}');
    expect(await flood.closed).toMatchObject({ code: 1008 });
    await calm.next(ofType('pong'), 2000);
    expect(calm.socket.readyState).toBe(WebSocket.OPEN);
    calm.close();
  });

  it('drops the message that trips --max-messages-per-second, and every later one, before the protocol handles it', async () => {
    const token = 'rate-test-token';
    const agent = await agentWith(['--max-messages-per-second', '1', '--vstats-token', token]);
    const dashboard = await connectRecorder(agent.url('vstats', 'dashboards'));
    const flood = await connectRecorder(`${agent.url('vstats', 'agents')}?token=${token}`);
    cleanups.push(() => dashboard.close());
    // A burst of twice the rate is allowed: the first two are relayed, the third trips the limit.
    for (let index = 1; index <= 8; index++) flood.send(JSON.stringify({ type: 'metrics', data: { hostname: 'flooder', cpu: { usage: index * 10, cores: 1 }, memory: { total: 1024, used: 512 } } }));
    expect(await flood.closed).toMatchObject({ code: 1008 });
    await sleep(300);
    const relayed = dashboard.frames
      .filter((frame) => ofType('metrics')(frame) && (frame.json as { data: { server_id: string } }).data.server_id === 'flooder')
      .map((frame) => (frame.json as { data: { metrics: { cpu: { usage: number } } } }).data.metrics.cpu.usage);
    expect(relayed).toEqual([10, 20]);
  });

  it('refills the token bucket at the configured rate', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 4, () => now);
    expect([1, 2, 3, 4, 5].map(() => limiter.take())).toEqual([true, true, true, true, false]);
    now += 500;
    expect([limiter.take(), limiter.take()]).toEqual([true, false]);
    expect(limiter.waitMs()).toBe(500);
    now += 500;
    expect(limiter.waitMs()).toBe(0);
  });

  it('applies each protocol its own --<id>-max-frame-bytes', async () => {
    const agent = await agentWith(['--gpu-usage-max-frame-bytes', '100']);
    const small = await connectRecorder(agent.url('gpu-usage'));
    small.send('x'.repeat(90));
    small.send('subscribe:usage');
    await small.next((frame) => (frame.json as { status?: string })?.status === 'subscribed', 3000);
    const large = await connectRecorder(agent.url('gpu-usage'));
    large.send('x'.repeat(200));
    expect((await large.closed).code).toBe(1009);
    const other = await connectRecorder(agent.url('servercontrol'));
    other.send(`{"type":"ping","pad":"${'x'.repeat(500)}"}`);
    await other.next(ofType('pong'), 2000);
    small.close();
    other.close();
  });
});

describe('HTTP request rate', () => {
  it('answers an address past --max-requests-per-second with 429 and Retry-After on every listener, spares another address, and serves the first again after the wait', async () => {
    const agent = await agentWith(['--max-requests-per-second', '2']);
    const stats = new URL('/stats', agent.url('servercontrol', 'api')).href;
    const answers: HttpAnswer[] = [];
    for (let index = 0; index < 8; index++) answers.push(await httpGetFrom(stats));
    // Bursts of twice the rate: four requests pass, and within those milliseconds no fifth token refills.
    expect(answers.slice(0, 4).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(refused, 'a request past the burst was refused').toBeDefined();
    expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(JSON.parse(refused.body)).toMatchObject({ error: expect.stringContaining('Too many requests') });
    // The limit is the address's, across listeners.
    expect((await httpGetFrom(agent.url('sysmedic', 'health'))).status).toBe(429);
    expect((await httpGetFrom(agent.url('metrics'))).status).toBe(429);

    const other = await httpGetFrom(stats, '127.0.0.2');
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body)).toMatchObject({ ram_total: expect.any(Number) });

    await sleep(Number(refused.headers['retry-after']) * 1000);
    expect((await httpGetFrom(stats)).status).toBe(200);
  });

  it('keeps at most its table size of addresses, forgetting idle ones first', () => {
    let now = 0;
    const table = new RequestRateTable(1, 2, 3, () => now);
    expect([table.request('a'), table.request('a'), table.request('a')].map((verdict) => verdict.allowed)).toEqual([true, true, false]);
    expect(table.request('a')).toMatchObject({ allowed: false, retryAfterSeconds: 1, firstRefusal: false });
    table.request('b');
    table.request('c');
    table.request('d');
    expect(table.size).toBe(3);
    // 'a' was the least recently seen, so it went first and comes back with a full bucket.
    expect(table.request('a').allowed).toBe(true);
    now += 2000;
    table.request('e');
    expect(table.size).toBe(1);
  });
});

describe('Host and Origin checks', () => {
  it('refuses a rebound host name on every HTTP endpoint and WebSocket upgrade, and accepts it once allowed', async () => {
    const agent = await agentWith([]);
    const rebound = { Host: 'evil.example' };
    expect(await httpStatus(agent.url('metrics'), rebound)).toBe(421);
    expect(await httpStatus(`http://127.0.0.1:${agent.endpoint('servercontrol', 'api').port}/stats`, rebound)).toBe(421);
    expect(await httpStatus(`http://127.0.0.1:${agent.endpoint('sysmedic').port}/health`, rebound)).toBe(421);
    expect(await tryOpen(agent.url('servercontrol'), rebound)).toMatchObject({ open: false, status: 421 });
    expect(await httpStatus(agent.url('metrics'), { Host: `localhost:${agent.endpoint('metrics').port}` })).toBe(200);

    const allowing = await agentWith(['--allowed-hosts', 'Evil.Example,other.lan']);
    expect(await httpStatus(allowing.url('metrics'), rebound)).toBe(200);
    expect((await tryOpen(allowing.url('servercontrol'), rebound)).open).toBe(true);
  });

  it("refuses WebSocket upgrades and HTTP requests from a foreign web page's origin, a sandboxed or file:// one, but not from ours", async () => {
    const agent = await agentWith([]);
    for (const origin of ['https://evil.example', 'null', 'file://']) {
      expect(await tryOpen(agent.url('gpu-usage'), { Origin: origin }), origin).toMatchObject({ open: false, status: 403 });
      expect(await httpStatus(`http://127.0.0.1:${agent.endpoint('servercontrol', 'api').port}/exec`, { Origin: origin }, 'POST'), origin).toBe(403);
    }
    for (const origin of ['http://127.0.0.1:8787', 'http://localhost:5173']) {
      expect((await tryOpen(agent.url('gpu-usage'), { Origin: origin })).open, origin).toBe(true);
    }
  });

  it("refuses a page served from a foreign address, IPv4 or IPv6, but not one served from this machine's own addresses", async () => {
    const agent = await agentWith(['--allowed-hosts', 'evil.example']);
    const exec = `http://127.0.0.1:${agent.endpoint('servercontrol', 'api').port}/exec`;
    const socktop = agent.connect.find((endpoint) => endpoint.protocol === 'socktop')!.url;
    for (const origin of ['http://203.0.113.5', 'https://203.0.113.5:8443', 'http://[2001:db8::1]', 'http://[::ffff:203.0.113.5]', 'http://0.0.0.0:8787']) {
      expect(await tryOpen(socktop, { Origin: origin }), origin).toMatchObject({ open: false, status: 403 });
      expect(await tryOpen(agent.url('servercontrol'), { Origin: origin }), origin).toMatchObject({ open: false, status: 403 });
      expect(await httpStatus(exec, { Origin: origin }, 'POST'), origin).toBe(403);
    }
    const own = Object.values(os.networkInterfaces()).flat().map((entry) => (entry!.family === 'IPv6' ? `[${entry!.address}]` : entry!.address));
    for (const origin of ['http://127.9.9.9', 'http://[::1]:5173', 'http://[::ffff:127.0.0.1]', 'http://evil.example', ...own.map((address) => `http://${address}:8787`)]) {
      expect((await tryOpen(socktop, { Origin: origin })).open, origin).toBe(true);
    }
    // A client on the LAN that connects by address, with no Origin (not a browser), is still answered.
    expect(await httpStatus(agent.url('metrics'), { Host: `203.0.113.5:${agent.endpoint('metrics').port}` })).toBe(200);
  });
});

describe('backpressure', () => {
  it('skips a client that does not read, keeps its buffer bounded, closes it after the grace period, and keeps serving the others', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const accepted: WebSocket[] = [];
    server.on('connection', (socket) => {
      assignBackpressure(socket, { maxBufferedBytes: 64 * 1024, graceMs: 1000 });
      accepted.push(socket);
    });
    const port = (server.address() as net.AddressInfo).port;
    const stalled = new WebSocket(`ws://127.0.0.1:${port}`);
    const reader = new WebSocket(`ws://127.0.0.1:${port}`);
    cleanups.push(() => stalled.terminate(), () => reader.terminate());
    await Promise.all([stalled, reader].map((socket) => new Promise((resolve) => socket.once('open', resolve))));
    // The stalled client stops reading from its TCP socket: the kernel buffers fill, then ws buffers.
    (stalled as unknown as { _socket: net.Socket })._socket.pause();
    let received = 0;
    reader.on('message', () => (received += 1));
    while (accepted.length < 2) await sleep(10);

    const frame = 'a'.repeat(64 * 1024);
    let maxBuffered = 0;
    const deadline = Date.now() + 15_000;
    let stalledServerSide = accepted.find((socket) => socket.readyState === WebSocket.OPEN)!;
    while (Date.now() < deadline && accepted.some((socket) => socket.readyState !== WebSocket.OPEN) === false) {
      broadcast(accepted, frame);
      maxBuffered = Math.max(maxBuffered, ...accepted.map((socket) => socket.bufferedAmount));
      stalledServerSide = accepted.reduce((worst, socket) => (socket.bufferedAmount > worst.bufferedAmount ? socket : worst));
      await sleep(5);
    }
    expect(accepted.some((socket) => socket.readyState !== WebSocket.OPEN), 'the stalled client was closed within 15 s').toBe(true);
    expect(stalledServerSide.readyState).not.toBe(WebSocket.OPEN);
    expect(maxBuffered).toBeLessThanOrEqual(64 * 1024 + frame.length);
    expect(received).toBeGreaterThan(100);
    expect(reader.readyState).toBe(WebSocket.OPEN);
  });
});

describe('backpressure through the agent', () => {
  it('skips a ServerControl client that stops reading, closes it after --slow-client-grace, spares one that reads again in time, and keeps streaming stats_update to the rest', async () => {
    const token = 'backpressure-test-token';
    const graceMs = 3000;
    const agent = await agentWith(['--max-buffered-kib', '16', '--slow-client-grace', String(graceMs / 1000), '--allow-exec', '--token', token]);
    const url = agent.url('servercontrol');
    const [reader, stalled, hesitant] = await Promise.all([connectRecorder(url), connectRecorder(url), connectRecorder(url)]);
    cleanups.push(() => reader.close(), () => stalled.socket.terminate(), () => hesitant.socket.terminate());
    await reader.next(ofType('stats_update'), 3000);
    const tcp = (recorder: Recorder): net.Socket => (recorder.socket as unknown as { _socket: net.Socket })._socket;
    tcp(stalled).pause();
    tcp(hesitant).pause();

    // stats_update is a few hundred bytes a second; task output at ~10 MB/s fills the paused clients'
    // kernel buffers (a few MB on loopback) and then their 16 KiB send buffers within about a second.
    const flood = 'i=0; while [ $i -lt 2000 ]; do seq $((i*20000)) $((i*20000+19999)); i=$((i+1)); sleep 0.01; done';
    const exec = await httpStatus(new URL('/exec', agent.url('servercontrol', 'api')).href, { authorization: `Bearer ${token}` }, 'POST', JSON.stringify({ cmd: flood }));
    expect(exec).toBe(200);
    // Paused for less than the grace, the hesitant client cannot have been over the bound for longer.
    await sleep(graceMs - 1000);
    tcp(hesitant).resume();
    await sleep(graceMs + 2000);
    // Only reading again lets the stalled client see the agent's close, behind what was buffered.
    tcp(stalled).resume();
    const notClosed = sleep(3000).then(() => ({ code: -1 }));
    expect((await Promise.race([stalled.closed, notClosed])).code, 'the stalled client was terminated, without a closing handshake').toBe(1006);
    const updatesSoFar = reader.frames.filter(ofType('stats_update')).length;
    await reader.collect(ofType('stats_update'), updatesSoFar + 1, 3000);

    const chunks = (recorder: Recorder): string[] => recorder.frames.filter(ofType('task_output')).map((frame) => (frame.json as { output: string }).output);
    const order = new Map(chunks(reader).map((chunk, index) => [chunk, index]));
    const stalledGot = chunks(stalled).map((chunk) => order.get(chunk));
    expect(stalledGot, 'the stalled client got the start of the output, then nothing').toEqual(stalledGot.map((_, index) => index));
    expect(stalledGot.length).toBeLessThan(order.size / 2);
    const hesitantGot = chunks(hesitant).map((chunk) => order.get(chunk) ?? -1);
    expect(hesitantGot.every((position, index) => position > (hesitantGot[index - 1] ?? -1)), 'in order, each one the reader got').toBe(true);
    expect(hesitantGot.some((position, index) => index > 0 && position - hesitantGot[index - 1]! > 1), 'some chunks were skipped while it did not read').toBe(true);
    expect(hesitantGot.at(-1)).toBeGreaterThan(order.size - 10);
    expect(hesitant.socket.readyState).toBe(WebSocket.OPEN);
    expect(reader.socket.readyState).toBe(WebSocket.OPEN);
    const updatesAt = reader.frames.filter(ofType('stats_update')).map((frame) => frame.atMs);
    expect(updatesAt.length).toBeGreaterThanOrEqual(6);
    expect(Math.max(...updatesAt.slice(1).map((at, index) => at - updatesAt[index]!)), 'longest wait between two stats_update (ms)').toBeLessThan(2500);
  }, 20_000);
});

describe('discovery replies', () => {
  it('answers at most --discovery-max-replies-per-second per discovery port', async () => {
    const agent = await agentWith(['--discovery-max-replies-per-second', '5']);
    const port = agent.endpoint('servercontrol', 'discovery').port;
    const client = dgram.createSocket('udp4');
    cleanups.push(() => client.close());
    let answers = 0;
    client.on('message', () => (answers += 1));
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    for (let index = 0; index < 100; index++) client.send('DISCOVER_SERVER', port, '127.0.0.1');
    await sleep(800);
    expect(answers).toBeGreaterThan(0);
    expect(answers).toBeLessThanOrEqual(10);
  });
});
