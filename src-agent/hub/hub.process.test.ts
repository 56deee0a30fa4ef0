// The built hub process (`npm run build` first) against a real agent: the --servers file with a bad line,
// the token on every API path, no credential in anything it sends a page, history that survives kill -9.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryWindow, HostView, HubAlertState } from '../../fleet/hub-view';
import { followHub } from '../../test-support/hub-stream';
import { cleanupAfterEach } from '../../test-support/cleanups';
import { spawnHub, startTestAgent, tempDataDir, type SpawnedAgent } from '../../test-support/test-agent';

const SECRET = 'hub-process-secret-5d1e';
const TOKEN = 'hub-process-token-77aa';
const cleanups = cleanupAfterEach();

function followUntil(base: string, done: (hosts: Map<string, HostView>) => boolean): Promise<{ hosts: Map<string, HostView>; text: string }> {
  return followHub(base, { token: TOKEN, until: (hosts) => done(hosts) });
}

async function history(base: string, key: string, fromMs: number, toMs: number): Promise<HistoryWindow> {
  const response = await fetch(new URL(`/api/hub/history?host=${encodeURIComponent(key)}&from=${fromMs}&to=${toMs}&points=1000&columns=cpu,mem`, base), { headers: { Authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as HistoryWindow;
}

const allOnline = (count: number) => (hosts: Map<string, HostView>) => hosts.size === count && [...hosts.values()].every((host) => host.status === 'online');

describe('agent hub, the built process', () => {
  it('watches the servers of its file, guards every API path with the token, and never hands a page a secret', async () => {
    const agent = await startTestAgent(['--sysmedic-secret', SECRET, '--sysmedic-interval', '1']);
    cleanups.push(() => agent.close());
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    const sysmedicPort = new URL(agent.url('sysmedic')).port;
    writeFileSync(
      serversFile,
      [
        '# the same agent through three protocols',
        `${agent.url('servercontrol')}  Control room`,
        `127.0.0.1:${new URL(agent.url('socktop')).port}`,
        `sysmedic://${SECRET}@127.0.0.1:${sysmedicPort}/`,
        'gopher://old-box/',
      ].join('\n'),
    );
    const hub: SpawnedAgent = await spawnHub(['--servers', serversFile, '--token', TOKEN]);
    cleanups.push(() => hub.stop('SIGKILL'));
    const base = hub.url('hub');
    expect(hub.openInBrowser).toBe(`${base}?token=${TOKEN}`);

    for (const [method, pathname] of [['GET', '/api/hub/stream'], ['GET', '/api/hub/history?host=x&from=0&to=1'], ['POST', '/api/hub/retry'], ['POST', '/api/hub/watch'], ['POST', '/api/hub/servers'], ['PATCH', '/api/hub/servers?id=x'], ['DELETE', '/api/hub/servers?id=x'], ['POST', '/api/hub/servers/import'], ['POST', '/api/hub/alerts/ack'], ['PUT', '/api/hub/rules'], ['POST', '/api/hub/detect'], ['GET', '/api/discovery'], ['POST', '/api/discovery/scan'], ['GET', '/api/discovery/events'], ['GET', '/api/agent']] as const) {
      // POSTs come from the page's own origin, so it is the token that refuses them.
      const response = await fetch(new URL(pathname, base), { method, headers: { Authorization: 'Bearer wrong-token', Origin: new URL(base).origin } });
      expect(response.status, `${method} ${pathname}`).toBe(401);
      expect(await response.text()).not.toContain(SECRET);
    }
    const mode = await fetch(new URL('/api/mode', base));
    expect(await mode.json()).toEqual({ mode: 'hub' });

    const { hosts, text } = await followUntil(base, allOnline(3));
    expect([...hosts.values()].map((host) => host.name).sort()).toEqual(['Control room', '127.0.0.1:' + new URL(agent.url('socktop')).port, `sysmedic://•••@127.0.0.1:${sysmedicPort}/`].sort());
    expect(text).not.toContain(SECRET);
    const sysmedic = [...hosts.values()].find((host) => host.protocols.includes('sysmedic'))!;
    expect(sysmedic.endpoints[0]!.url).toContain('secret=•••');
    expect(hub.stderr.join('\n')).toMatch(/servers\.txt:5: "gopher:\/\/" is not a monitoring URL/);

    const bad = await fetch(new URL('/api/hub/history?host=x&from=later&to=1', base), { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: expect.stringMatching(/^Bad query: from: /) });
    // "Add server" in the hub: an address it cannot parse is refused in the parser's words; a good one is detected.
    const detect = (body: unknown) => fetch(new URL('/api/hub/detect', base), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, Origin: new URL(base).origin, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const refused = await detect({ input: 'ftp://x/' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: expect.stringMatching(/"ftp:\/\/" is not a monitoring URL/) });
    const found = (await (await detect({ input: `127.0.0.1:${sysmedicPort}`, secret: SECRET })).json()) as { found: { endpoint: { protocol: string } }[] };
    expect(found.found.map((detection) => detection.endpoint.protocol)).toEqual(['sysmedic']);
    // A page that takes an event stream sees each try as it goes, then the result.
    const streamed = await fetch(new URL('/api/hub/detect', base), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, Origin: new URL(base).origin, 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify({ input: `127.0.0.1:${sysmedicPort}`, secret: SECRET }) });
    expect(streamed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = (await streamed.text()).split('\n\n').filter(Boolean).map((block) => ({ event: /^event: (\w+)/.exec(block)![1], data: JSON.parse(block.slice(block.indexOf('data: ') + 6)) as unknown }));
    expect(events.length).toBeGreaterThan(1);
    expect(events.slice(0, -1).every((event) => event.event === 'progress' && Array.isArray(event.data))).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'result', data: { found: [{ endpoint: { protocol: 'sysmedic' } }] } });
  });

  it('polls an HTTP source from its file with basic auth or a bearer token, and never hands a page or a log the password', async () => {
    const PASSWORD = 'hub-basic-password-9c2f';
    const agent = await startTestAgent();
    cleanups.push(() => agent.close());
    const metricsPort = agent.endpoint('metrics').port;
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, [`http://grafana:${PASSWORD}@127.0.0.1:${metricsPort}/metrics Scraped`, `http://127.0.0.1:${metricsPort}/metrics?token=${PASSWORD} Bearer`].join('\n'));
    const hub: SpawnedAgent = await spawnHub(['--servers', serversFile, '--token', TOKEN]);
    cleanups.push(() => hub.stop('SIGKILL'));
    const { hosts, text } = await followUntil(hub.url('hub'), (seen) => [...seen.values()].filter((host) => host.status === 'online' && host.protocols.includes('node-exporter')).length === 2);
    const urls = [...hosts.values()].filter((host) => host.protocols.includes('node-exporter')).map((host) => host.endpoints[0]!.url).sort();
    expect(urls).toEqual([`http://127.0.0.1:${metricsPort}/metrics?token=•••`, `http://•••@127.0.0.1:${metricsPort}/metrics`]);
    expect(text).not.toContain(PASSWORD);
    expect(hub.stderr.join('\n')).not.toContain(PASSWORD);
  });

  it('sends a host whose only change is a new reading as just that reading, not its whole view', async () => {
    const agent = await startTestAgent();
    cleanups.push(() => agent.close());
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `${agent.url('servercontrol')}\n`);
    const hub = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir]);
    cleanups.push(() => hub.stop('SIGKILL'));
    let online = false;
    const readings: number[] = [];
    let wholeViews = 0;
    const { hosts } = await followHub(hub.url('hub'), {
      token: TOKEN,
      timeoutMs: 20_000,
      until: (known, message) => {
        if (online && message.kind === 'delta') {
          // A ping's new round-trip time is part of the view: it may come whole now and then.
          wholeViews += message.upserts.length;
          readings.push(...message.readings.map((reading) => reading.sample.timeMs));
        }
        online ||= allOnline(1)(known);
        return readings.length >= 3;
      },
    });
    expect(wholeViews).toBeLessThan(readings.length);
    expect(readings[2]).toBeGreaterThan(readings[0]!);
    expect([...hosts.values()][0]!.sample!.timeMs).toBe(readings.at(-1));
  });

  it('keeps the minutes before a kill -9: a restarted hub on the same data dir answers them from disk', async () => {
    const agent = await startTestAgent([]);
    cleanups.push(() => agent.close());
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `${agent.url('servercontrol')}\n`);
    const startedMs = Date.now();
    const first = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir]);
    cleanups.push(() => first.stop('SIGKILL'));
    const { hosts } = await followUntil(first.url('hub'), allOnline(1));
    const key = [...hosts.keys()][0]!;
    // Readings reach the disk every five seconds and before any history answer: wait for some, then kill without warning.
    let before: HistoryWindow;
    for (;;) {
      before = await history(first.url('hub'), key, startedMs - 1000, Date.now() + 1000);
      if ((before.series.cpu?.t.length ?? 0) >= 6) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const killedMs = Date.now();
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');

    const second = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir]);
    cleanups.push(() => second.stop('SIGKILL'));
    const after = await history(second.url('hub'), key, startedMs - 1000, killedMs);
    expect(after.tier).toBe('seconds');
    // Everything the first hub had answered before the kill is still there.
    for (const t of before.series.cpu!.t) expect(after.series.cpu!.t).toContain(t);
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});

describe('alerts in the built hub', () => {
  it('raises an alert for a host that stops answering with no page open, and keeps its acknowledgement across a restart', async () => {
    const agent = await startTestAgent([]);
    let agentRunning = true;
    cleanups.push(() => (agentRunning ? agent.close() : undefined));
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `${agent.url('servercontrol')} lab-1\n`);
    const args = ['--servers', serversFile, '--token', TOKEN, '--data-dir', dir, '--offline-alert-after', '2'];
    const first = await spawnHub(args);
    cleanups.push(() => first.stop('SIGKILL'));
    await followUntil(first.url('hub'), allOnline(1));
    await agent.close();
    agentRunning = false;

    // Nobody follows the stream while the host goes down: the hub notices by itself.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    let alerting: HubAlertState | undefined;
    await followHub(first.url('hub'), { token: TOKEN, until: (_hosts, message) => Boolean((alerting = message.alerting)) });
    const offline = alerting!.alerts.find((entry) => entry.origin === 'offline' && entry.clearedAtMs === undefined);
    expect(offline).toMatchObject({ hostName: 'lab-1', severity: 'critical', title: 'lab-1: not answering' });

    const ack = await fetch(new URL('/api/hub/alerts/ack', first.url('hub')), { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Origin: new URL(first.url('hub')).origin }, body: JSON.stringify({ id: offline!.id }) });
    expect(await ack.json()).toEqual({ acknowledged: 1 });
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await spawnHub(args);
    cleanups.push(() => second.stop('SIGKILL'));
    await followHub(second.url('hub'), { token: TOKEN, until: (_hosts, message) => Boolean((alerting = message.alerting)) });
    expect(alerting!.alerts.find((entry) => entry.id === offline!.id)).toMatchObject({ acknowledgedAtMs: expect.any(Number) });
  });
});

describe('pinned certificates in the built hub', () => {
  it('reads a self-signed wss:// agent only with its pinned fingerprint, and refuses the same server unpinned', async () => {
    const agent = await startTestAgent(['--tls', '--no-gpu-usage', '--no-servercontrol', '--no-sysmedic', '--no-vstats']);
    cleanups.push(() => agent.close());
    const secure = agent.endpoints.find((endpoint) => endpoint.kind === 'wss')!;
    const dir = tempDataDir();
    const serversFile = path.join(dir, 'servers.txt');
    writeFileSync(serversFile, `wss://127.0.0.1:${secure.port}/ws tls-agent\n`);

    const pinned = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', dir, '--certificate-pins', `127.0.0.1:${secure.port}=${secure.fingerprint256}`]);
    cleanups.push(() => pinned.stop('SIGKILL'));
    await followUntil(pinned.url('hub'), allOnline(1));
    await pinned.stop('SIGTERM');

    const unpinned = await spawnHub(['--servers', serversFile, '--token', TOKEN, '--data-dir', tempDataDir()]);
    cleanups.push(() => unpinned.stop('SIGKILL'));
    // Without the pin Node's TLS refuses the self-signed certificate: for seconds on end, never a reading.
    const watchUntil = Date.now() + 4000;
    let everOnline = false;
    const { hosts } = await followHub(unpinned.url('hub'), {
      token: TOKEN,
      until: (seen, _message, arrivedMs) => {
        everOnline ||= [...seen.values()].some((host) => host.status === 'online');
        return arrivedMs > watchUntil;
      },
    });
    expect(everOnline).toBe(false);
    expect([...hosts.values()][0]!.status).toBe('detecting');
  });
});

describe('a hub whose supervisor is gone', () => {
  it('exits when its output pipe closes instead of logging that it cannot log, forever', async () => {
    const hub = await spawnHub(['--token', TOKEN]);
    cleanups.push(() => hub.stop('SIGKILL'));
    // The supervisor dies: nobody reads stdout or stderr any more.
    hub.child.stdout!.destroy();
    hub.child.stderr!.destroy();
    // SIGHUP makes it log a line, which meets the closed pipe.
    hub.child.kill('SIGHUP');
    const exited = await Promise.race([hub.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
    expect(exited).toBe(0);
  });
});
