import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOVER_REQUEST } from '../../proto/discovery';
import { tempDataDir } from '../../test-support/test-agent';
import { DiscoveryService } from '../discovery/service';
import { parseFlags } from '../cli/parse';
import { createLogger } from '../log';
import { LIMIT_FLAGS, limitsFromFlags } from '../net/limits';
import { createDashboardApi } from './api';
import { hubPortFlag } from '../hub/flags';
import { openFrontDoor } from './front-door';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so the test controls Host and Origin as an attacker's browser would send them. */
function request(port: number, options: { method?: string; path?: string; headers?: Record<string, string>; noHost?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = options.noHost ? { ...options.headers } : { Host: `127.0.0.1:${port}`, ...options.headers };
    const outgoing = http.request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers, setHost: !options.noHost }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function rendererDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetwatch-renderer-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>FleetWatch</title><div id="root"></div>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log("ui")');
  return dir;
}

/** A ServerControl-style discovery responder on loopback, answering as a real server does. */
async function discoveryResponder(): Promise<{ port: number; close(): void }> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, remote) => {
    if (message.toString('ascii') !== DISCOVER_REQUEST) return;
    socket.send(JSON.stringify({ type: 'SERVER_RESPONSE', hostname: 'lab-7', port: 8080, ws_port: 8082, discovery_port: 8081 }), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, close: () => socket.close() };
}

/** The front door as the hub opens it: the page, /api/mode without the token, and discovery's API behind it. */
async function startDoor(options: { token?: string; rendererDir?: string; scanPort?: number } = {}): Promise<{ port: number; token: string; close(): Promise<void> }> {
  const token = options.token ?? 'front-door-token-3f9a';
  const discovery = new DiscoveryService({ targets: () => ['127.0.0.1'], ports: options.scanPort ? [options.scanPort] : [], rounds: 1, roundMs: 200 });
  const api = createDashboardApi({ discovery });
  const door = openFrontDoor({
    root: options.rendererDir ?? rendererDir(),
    token,
    log: createLogger('error'),
    limits: limitsFromFlags(parseFlags(LIMIT_FLAGS, [], {}).flags),
    open: { '/api/mode': () => ({ mode: 'hub' }) },
    api: (request, response, url) => api.handle(request, response, url.pathname),
  });
  const port = await door.listen(0, { owner: 'dashboard', what: 'HTTP', flag: hubPortFlag });
  return {
    port,
    token,
    close: async () => {
      api.close();
      await door.close();
    },
  };
}

describe('the front door', () => {
  let responder: Awaited<ReturnType<typeof discoveryResponder>>;
  let door: Awaited<ReturnType<typeof startDoor>>;
  let port: number;
  let auth: { Authorization: string };

  beforeAll(async () => {
    responder = await discoveryResponder();
    door = await startDoor({ scanPort: responder.port });
    port = door.port;
    auth = { Authorization: `Bearer ${door.token}` };
  });
  afterAll(async () => {
    await door.close();
    responder.close();
  });

  it('serves the built page and its assets with a strict Content-Security-Policy', async () => {
    const page = await request(port);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self';");
    expect(page.headers['content-security-policy']).not.toContain('unsafe');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const asset = await request(port, { path: '/assets/index-abc.js' });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('never reads a file outside the renderer folder', async () => {
    for (const attempt of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/index.html%00.js']) {
      const answer = await request(port, { path: attempt });
      expect(answer.status, attempt).toBe(404);
      expect(answer.body).not.toContain('root:');
    }
  });

  it('refuses a DNS-rebinding request whose Host is not this listener', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1']) {
      const page = await request(port, { headers: { Host: host } });
      expect(page.status, host).toBe(421);
      const api = await request(port, { path: '/api/discovery', headers: { Host: host, ...auth } });
      expect(api.status).toBe(421);
      expect(api.body).not.toContain('hosts');
    }
    // Node itself answers 400 to an HTTP/1.1 request without Host; either way nothing is served.
    expect([400, 421]).toContain((await request(port, { noHost: true })).status);
    for (const host of [`localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) expect((await request(port, { headers: { Host: host } })).status, host).toBe(200);
  });

  it('refuses a POST without this origin, and scans when the page itself asks', async () => {
    expect((await request(port, { method: 'POST', path: '/api/discovery/scan' })).status).toBe(403);
    expect((await request(port, { method: 'POST', path: '/api/discovery/scan', headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await request(port, { method: 'POST', path: '/api/discovery/scan', headers: { Origin: `http://127.0.0.1:${port + 1}` } })).status).toBe(403);
    const accepted = await request(port, { method: 'POST', path: '/api/discovery/scan', headers: { Origin: `http://localhost:${port}`, ...auth } });
    expect(accepted.status).toBe(202);
    expect(JSON.parse(accepted.body)).toMatchObject({ scanning: true });
    await expect.poll(async () => JSON.parse((await request(port, { path: '/api/discovery', headers: auth })).body).hosts, { timeout: 5000 }).toEqual([
      expect.objectContaining({ address: '127.0.0.1', hostname: 'lab-7', protocols: [{ protocol: 'servercontrol', port: 8082 }], httpPort: 8080 }),
    ]);
  });

  it('streams discovery state as Server-Sent Events', async () => {
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const outgoing = http.get({ host: '127.0.0.1', port, path: '/api/discovery/events', headers: { Host: `127.0.0.1:${port}`, ...auth } }, (response) => {
        expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        response.setEncoding('utf8').on('data', (chunk: string) => {
          received.push(chunk);
          // The first event is the current state; opening the stream starts a scan, whose end is another.
          if (received.join('').split('\n\n').filter((event) => event.startsWith('data: ')).length >= 2) {
            outgoing.destroy();
            resolve();
          }
        });
      });
      outgoing.on('error', (error) => (received.length >= 2 ? resolve() : reject(error)));
    });
    const first = JSON.parse(received.join('').split('\n\n')[0]!.slice('data: '.length)) as { hosts: unknown[] };
    expect(Array.isArray(first.hosts)).toBe(true);
  });

  it('answers unknown API paths and wrong methods with JSON errors', async () => {
    expect((await request(port, { path: '/api/nope', headers: auth })).status).toBe(404);
    const wrong = await request(port, { method: 'POST', path: '/api/discovery', headers: { Origin: `http://127.0.0.1:${port}`, ...auth } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
  });

  it('answers every API path 401 without the token, giving nothing away, and /api/mode to anyone', async () => {
    const origin = { Origin: `http://127.0.0.1:${port}` };
    for (const [method, apiPath] of [['GET', '/api/discovery'], ['GET', '/api/discovery/events'], ['POST', '/api/discovery/scan'], ['GET', '/api/nope']] as const) {
      for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: `Bearer ${door.token.slice(0, -1)}` }, { Cookie: `fleetwatch-token-${port}=wrong` }] as Record<string, string>[]) {
        const answer = await request(port, { method, path: apiPath, headers: { ...origin, ...headers } });
        expect(answer.status, `${method} ${apiPath} ${JSON.stringify(headers)}`).toBe(401);
        expect(answer.headers['www-authenticate']).toBe('Bearer');
        expect(answer.body).not.toContain('hosts');
        expect(answer.body).not.toContain(door.token);
      }
    }
    expect(JSON.parse((await request(port, { path: '/api/mode' })).body)).toEqual({ mode: 'hub' });
  });

  it('trades ?token= in the address for an HttpOnly, SameSite=Strict cookie that opens the API', async () => {
    const opened = await request(port, { path: `/?token=${door.token}&view=hosts` });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/?view=hosts');
    const cookie = opened.headers['set-cookie']![0]!;
    expect(cookie).toBe(`fleetwatch-token-${port}=${door.token}; Path=/; HttpOnly; SameSite=Strict`);
    const withCookie = await request(port, { path: '/api/discovery', headers: { Cookie: `theme=dark; ${cookie.split(';')[0]}` } });
    expect(withCookie.status).toBe(200);
    expect(JSON.parse(withCookie.body)).toHaveProperty('hosts');
    // A wrong token in the address is left to the page, which asks for the right one.
    const wrong = await request(port, { path: '/?token=wrong' });
    expect(wrong.status).toBe(200);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('says so on the page when the UI has not been built', async () => {
    const unbuilt = await startDoor({ rendererDir: path.join(tempDataDir(), 'missing') });
    try {
      const page = await request(unbuilt.port);
      expect(page.status).toBe(404);
      expect(page.body).toContain('npm run build');
    } finally {
      await unbuilt.close();
    }
  });
});
