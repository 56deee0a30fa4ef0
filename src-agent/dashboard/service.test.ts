import dgram from 'node:dgram';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISCOVER_REQUEST } from '../../proto/discovery';
import { SAFE_ENV, tempDataDir } from '../../test-support/test-agent';
import { agentFlags, startAgent, type RunningAgent } from '../agent';
import type { AgentService } from '../servers/types';
import { parseFlags } from '../cli/parse';
import { createLogger } from '../log';
import { gpuUsageServer } from '../servers/gpu-usage';
import { socktopServer } from '../servers/socktop';
import { createDashboardService } from './service';

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

/** Every port flag of these services at 0, unless given: tests never collide. */
function ephemeralPorts(services: readonly AgentService[], args: readonly string[]): string[] {
  return services.flatMap((service) => service.flags).flatMap((spec) => (spec.name.endsWith('-port') && !args.includes(`--${spec.name}`) ? [`--${spec.name}`, '0'] : []));
}

async function startDashboardAgent(extra: string[] = []): Promise<{ agent: RunningAgent; port: number; token: string }> {
  const services = [gpuUsageServer, socktopServer, createDashboardService({ rendererDir: rendererDir(), scanRounds: 1, scanRoundMs: 200 })];
  const args = [...extra, '--data-dir', tempDataDir()];
  const { flags } = parseFlags(agentFlags(services), [...args, ...ephemeralPorts(services, args)], SAFE_ENV);
  const agent = await startAgent({ flags, log: createLogger('error'), services });
  const port = agent.endpoints.find((endpoint) => endpoint.owner === 'dashboard')!.port;
  const token = new URL(agent.openInBrowser!).searchParams.get('token')!;
  return { agent, port, token };
}

describe('dashboard service', () => {
  let responder: Awaited<ReturnType<typeof discoveryResponder>>;
  let agent: RunningAgent;
  let port: number;
  let auth: { Authorization: string };

  beforeAll(async () => {
    responder = await discoveryResponder();
    let token: string;
    ({ agent, port, token } = await startDashboardAgent(['--host', '0.0.0.0', '--dashboard-scan-ports', String(responder.port)]));
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(async () => {
    await agent.close();
    responder.close();
  });

  it('binds loopback even when the agent shares itself on the LAN', () => {
    const dashboard = agent.endpoints.find((endpoint) => endpoint.owner === 'dashboard')!;
    expect(dashboard).toMatchObject({ host: '127.0.0.1', kind: 'http', url: `http://127.0.0.1:${port}/` });
    expect(agent.endpoints.find((endpoint) => endpoint.owner === 'gpu-usage')!.host).toBe('0.0.0.0');
  });

  it('serves the built page and its assets with a strict Content-Security-Policy', async () => {
    const page = await request(port);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
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
      const api = await request(port, { path: '/api/agent', headers: { Host: host } });
      expect(api.status).toBe(421);
      expect(api.body).not.toContain('ws://');
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

  it('hands out the agent\'s ready-to-connect endpoints and what it listens on', async () => {
    const answer = await request(port, { path: '/api/agent', headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(answer.body) as { connect: { protocol: string; url: string }[]; listening: { owner: string }[]; failures: string[] };
    expect(body.connect.map((endpoint) => endpoint.protocol).sort()).toEqual(['gpu-usage', 'socktop']);
    expect(body.connect.every((endpoint) => endpoint.url.startsWith('ws://127.0.0.1:'))).toBe(true);
    expect(body.listening.map((endpoint) => endpoint.owner)).toContain('dashboard');
    expect(body.failures).toEqual([]);
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
    const wrong = await request(port, { method: 'POST', path: '/api/agent', headers: { Origin: `http://127.0.0.1:${port}`, ...auth } });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
  });
});

describe('dashboard token', () => {
  let agent: RunningAgent;
  let port: number;
  let token: string;

  beforeAll(async () => {
    ({ agent, port, token } = await startDashboardAgent());
  });
  afterAll(() => agent.close());

  it('is generated per start when --token is not given, and every API path answers 401 without it, giving nothing away', async () => {
    const other = await startDashboardAgent();
    try {
      expect(other.token).toMatch(/^[\w-]{32}$/);
      expect(other.token).not.toBe(token);
    } finally {
      await other.agent.close();
    }
    const origin = { Origin: `http://127.0.0.1:${port}` };
    for (const [method, apiPath] of [['GET', '/api/agent'], ['GET', '/api/discovery'], ['GET', '/api/discovery/events'], ['POST', '/api/discovery/scan'], ['GET', '/api/nope']] as const) {
      for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Cookie: `fleetwatch-token-${port}=wrong` }] as Record<string, string>[]) {
        const answer = await request(port, { method, path: apiPath, headers: { ...origin, ...headers } });
        expect(answer.status, `${method} ${apiPath} ${JSON.stringify(headers)}`).toBe(401);
        expect(answer.headers['www-authenticate']).toBe('Bearer');
        expect(answer.body).not.toContain('ws://');
        expect(answer.body).not.toContain(token);
      }
    }
  });

  it('trades ?token= in the address for an HttpOnly, SameSite=Strict cookie that opens the API', async () => {
    const opened = await request(port, { path: `/?token=${token}&view=hosts` });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe('/?view=hosts');
    const cookie = opened.headers['set-cookie']![0]!;
    expect(cookie).toBe(`fleetwatch-token-${port}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    const withCookie = await request(port, { path: '/api/agent', headers: { Cookie: `theme=dark; ${cookie.split(';')[0]}` } });
    expect(withCookie.status).toBe(200);
    expect(JSON.parse(withCookie.body).connect.length).toBeGreaterThan(0);
    // A wrong token in the address is left to the page, which asks for the right one.
    const wrong = await request(port, { path: '/?token=wrong' });
    expect(wrong.status).toBe(200);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('is shown only to an interactive terminal and in the report, never in the plain log lines', async () => {
    expect(agent.openInBrowser).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    expect(agent.terminalNotices).toContain(`web dashboard at ${agent.openInBrowser}`);
    expect(agent.notices.join('\n')).not.toContain(token);
    expect(agent.notices.join('\n')).toContain(`web dashboard at http://127.0.0.1:${port}/`);
    const given = await startDashboardAgent(['--token', 'tok-given']);
    try {
      expect(given.agent.openInBrowser).toBe(`http://127.0.0.1:${given.port}/?token=tok-given`);
      expect([...given.agent.notices, ...given.agent.terminalNotices].join('\n')).not.toContain('tok-given');
    } finally {
      await given.agent.close();
    }
  });
});

describe('dashboard service with --token', () => {
  let agent: RunningAgent;
  let port: number;

  beforeAll(async () => {
    ({ agent, port } = await startDashboardAgent(['--token', 'tok-123']));
  });
  afterAll(() => agent.close());

  it('requires the bearer token on the API but serves the page, which asks for it', async () => {
    expect((await request(port)).status).toBe(200);
    const missing = await request(port, { path: '/api/agent' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.body).not.toContain('ws://');
    expect((await request(port, { path: '/api/agent', headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await request(port, { path: '/api/discovery/events', headers: { Authorization: 'Bearer tok-12' } })).status).toBe(401);
    const allowed = await request(port, { path: '/api/agent', headers: { Authorization: 'Bearer tok-123' } });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body).connect.length).toBeGreaterThan(0);
  });
});

describe('dashboard service', () => {
  it('says so on the page when the UI has not been built', async () => {
    const services = [createDashboardService({ rendererDir: path.join(tempDataDir(), 'missing') })];
    const { flags } = parseFlags(agentFlags(services), ephemeralPorts(services, []), SAFE_ENV);
    const agent = await startAgent({ flags, log: createLogger('error'), services });
    try {
      const page = await request(agent.endpoints[0]!.port);
      expect(page.status).toBe(404);
      expect(page.body).toContain('npm run build');
    } finally {
      await agent.close();
    }
  });
});
