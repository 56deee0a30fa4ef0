import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_AGENT, SAFE_ENV, startTestAgent, type TestAgent } from '../../test-support/test-agent';
import { startFixtureServer } from '../../test-support/fixture-server';
import { PROBE_EXIT, runProbe } from './probe';

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent(['--gpu-usage-interval', '1', '--sysmedic-secret', 'probe-secret']);
});
afterAll(() => agent.close());

const STATS_UPDATE = '{"type":"stats_update","cpu":5,"ram_used":1,"ram_total":2,"timestamp":1}';

async function probe(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runProbe(args, (text) => void (out += text), (text) => void (err += text));
  return { code, out, err };
}

describe('agent probe', () => {
  it('detects a server, says why, and prints a first sample as a table (exit 0)', async () => {
    const port = agent.endpoint('servercontrol', 'stream').port;
    const { code, out } = await probe(`127.0.0.1:${port}`);
    expect(code).toBe(PROBE_EXIT.ok);
    expect(out).toContain(`ServerControl (ping) at ws://127.0.0.1:${port}/ — answered {"type":"ping"} with a pong`);
    expect(out).toMatch(/protocol\s+host\s+cpu\s+memory/);
    expect(out).toMatch(/servercontrol\s+\S+\s+\d+\.\d %/);
  });

  it("names an HTTP source and waits for the reading that has its CPU: our agent's /metrics read as node_exporter", async () => {
    const port = agent.endpoint('metrics').port;
    const { code, out } = await probe(`127.0.0.1:${port}`);
    expect(code).toBe(PROBE_EXIT.ok);
    expect(out).toContain(`node_exporter (text exposition) at http://127.0.0.1:${port}/metrics — text exposition with node_cpu_seconds_total`);
    expect(out).toMatch(/node-exporter\s+\S+\s+\d+\.\d %/);
  });

  it('prints one JSON object with --json, credentials redacted', async () => {
    const { code, out } = await probe('sysmedic://probe-secret@127.0.0.1:' + agent.endpoint('sysmedic').port + '/', '--json');
    expect(code).toBe(PROBE_EXIT.ok);
    const report = JSON.parse(out) as { found: { protocol: string; endpoint: { url: string } }[]; hosts: { sample?: { cpu?: { totalPercent: number } } }[] };
    expect(report.found.map((found) => found.protocol)).toEqual(['sysmedic']);
    expect(report.found[0]!.endpoint.url).not.toContain('probe-secret');
    expect(report.hosts[0]?.sample?.cpu?.totalPercent).toBeGreaterThanOrEqual(0);
  });

  it('exits 3 when a server wants a secret it was not given', async () => {
    const { code, err } = await probe(`127.0.0.1:${agent.endpoint('sysmedic').port}`);
    expect(code).toBe(PROBE_EXIT.authRequired);
    // On a port that is not SysMedic's default, the detector cannot know which credential is wanted.
    expect(err).toMatch(/auth-required\s+It needs a token or secret \(HTTP 401\)\./);
  });

  it('exits 4 when nothing recognizable answers, listing what it tried', async () => {
    const silent = await startFixtureServer({ onConnection: () => {} });
    try {
      const { code, err } = await probe(`127.0.0.1:${silent.port}`);
      expect(code).toBe(PROBE_EXIT.notDetected);
      expect(err).toContain('No known protocol answered');
      expect(err).toContain('unrecognized');
    } finally {
      await silent.close();
    }
  });

  it('exits 1 when a server is detected but sends no sample in time', async () => {
    // Speaks ServerControl to the detector, then goes quiet for the connection that follows.
    const server = await startFixtureServer({ onConnection: (socket) => void (server.connections === 1 && socket.send(STATS_UPDATE)) });
    try {
      const { code, out } = await probe(`127.0.0.1:${server.port}`, '--sample-timeout', '1');
      expect(code).toBe(PROBE_EXIT.noSample);
      expect(out).toContain('ServerControl (ping)');
      expect(out).toContain('No host reported anything yet.');
    } finally {
      await server.close();
    }
  });

  it('exits 3 when the server is detected but then refuses the connection that would read it, with --watch too', async () => {
    // Speaks ServerControl to the detector, then answers 401 to every later upgrade.
    const refusesAfterDetection = async () => {
      const server = await startFixtureServer({ rejectUpgrade: () => (server.connections >= 1 ? 401 : null), onConnection: (socket) => socket.send(STATS_UPDATE) });
      return server;
    };
    const first = await refusesAfterDetection();
    const second = await refusesAfterDetection();
    try {
      const once = await probe(`127.0.0.1:${first.port}`);
      expect(once.code).toBe(PROBE_EXIT.authRequired);
      expect(once.err).toMatch(/servercontrol: The server refused the credentials/);
      const watching = await probe(`127.0.0.1:${second.port}`, '--watch', '--json');
      expect(watching.code).toBe(PROBE_EXIT.authRequired);
      expect(JSON.parse(watching.out.split('\n')[0]!)).toMatchObject({ found: [{ protocol: 'servercontrol' }] });
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('exits 2 with the reason for a bad target or option, and 0 for --help', async () => {
    expect(await probe('host:99999')).toMatchObject({ code: PROBE_EXIT.usage, err: expect.stringContaining('1 to 65535') });
    expect(await probe('ftp://host/')).toMatchObject({ code: PROBE_EXIT.usage, err: expect.stringContaining('not a monitoring URL') });
    expect(await probe('a', 'b')).toMatchObject({ code: PROBE_EXIT.usage, err: expect.stringContaining('exactly one target') });
    expect(await probe('--frobnicate', 'h')).toMatchObject({ code: PROBE_EXIT.usage });
    expect(await probe('--help')).toMatchObject({ code: PROBE_EXIT.ok, out: expect.stringContaining('Exit codes') });
  });

  it('streams samples as JSON lines with --watch until interrupted, then exits 0', async () => {
    const child = spawn(process.execPath, [BUILT_AGENT, 'probe', agent.url('gpu-usage'), '--watch', '--json'], { env: { ...process.env, ...SAFE_ENV } });
    const lines: string[] = [];
    let buffered = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts.filter(Boolean));
    });
    const deadline = Date.now() + 10_000;
    while (lines.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ found: [{ protocol: 'gpu-usage', evidence: expect.any(String) }] });
    expect(JSON.parse(lines[1]!)).toMatchObject({ protocol: 'gpu-usage', sample: { cpu: { totalPercent: expect.any(Number) } } });
    expect(code).toBe(0);
  });
});
