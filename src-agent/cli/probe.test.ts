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
    while (lines.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ protocol: 'gpu-usage', sample: { cpu: { totalPercent: expect.any(Number) } } });
    expect(code).toBe(0);
  });
});
