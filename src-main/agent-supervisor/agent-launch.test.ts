import { describe, expect, it } from 'vitest';
import { agentEnvironment, bundledAgentLaunch, newLaunchToken } from './agent-launch';
import { parseAgentReport } from './agent-report-line';
import { LineSplitter } from './agent-process';
import { exitReason, describeExit } from './supervisor';

describe('the bundled agent launch', () => {
  it('makes a fresh 32-byte base64url token each time', () => {
    const [first, second] = [newLaunchToken(), newLaunchToken()];
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first, 'base64url')).toHaveLength(32);
    expect(first).not.toBe(second);
  });

  it('passes the token in the environment and never on the command line', () => {
    const launch = bundledAgentLaunch({ token: 'secret-token', dataDir: '/data/agent', exitOnStdinClose: false });
    expect(launch.args).toEqual(['--json', '--data-dir', '/data/agent']);
    expect(launch.args.join(' ')).not.toContain('secret-token');
    expect(launch.env).toEqual({ FLEETWATCH_TOKEN: 'secret-token' });
    expect(bundledAgentLaunch({ token: 't', dataDir: '/d', exitOnStdinClose: true }).args).toContain('--exit-on-stdin-close');
  });

  it("drops the user's agent flag variables but keeps the discovery override and everything else", () => {
    const env = agentEnvironment({ PATH: '/bin', FLEETWATCH_HOST: '0.0.0.0', FLEETWATCH_TOKEN: 'old', FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1', HOME: undefined }, { FLEETWATCH_TOKEN: 'new' });
    expect(env).toEqual({ PATH: '/bin', FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1', FLEETWATCH_TOKEN: 'new' });
  });
});

describe("reading the agent's output", () => {
  const report = { event: 'listening', pid: 42, endpoints: [{ owner: 'gpu-usage', kind: 'ws', role: 'stream', host: '127.0.0.1', port: 33931, url: 'ws://127.0.0.1:33931/usage', open: true }], connect: [{ protocol: 'gpu-usage', url: 'ws://127.0.0.1:33931/usage' }], failures: [] };

  it('accepts a well-formed report line and rejects anything else', () => {
    expect(parseAgentReport(JSON.stringify(report))).toEqual(report);
    expect(parseAgentReport('listening on 33931')).toBeNull();
    expect(parseAgentReport(JSON.stringify({ ...report, connect: [{ protocol: 'telnet', url: 'x' }] }))).toBeNull();
    expect(parseAgentReport(JSON.stringify({ ...report, event: 'other' }))).toBeNull();
  });

  it('splits chunks into lines and keeps a partial line until it completes', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 10);
    splitter.push('one\r\ntw');
    splitter.push('o\nthree');
    expect(lines).toEqual(['one', 'two']);
    splitter.push('-and-more');
    expect(lines).toEqual(['one', 'two', 'three-and-more']);
    splitter.push('tail');
    splitter.end();
    expect(lines.at(-1)).toBe('tail');
  });

  it('names the reason for an exit from the last error the agent logged', () => {
    const tail = ['2026-01-01T00:00:00.000Z info  [gpu-usage] listening', '2026-01-01T00:00:00.001Z error nothing is listening; exiting', '2026-01-01T00:00:00.002Z info  bye'];
    expect(exitReason(tail)).toBe('nothing is listening; exiting');
    expect(exitReason(['file:///x.js:1', 'TypeError: boom is not a function', '    at main (x.js:1:1)', 'Node.js v20.0.0'])).toBe('TypeError: boom is not a function');
    expect(exitReason(['agent: --log-level expects one of error, warn, info, debug, got "loud"'])).toMatch(/^agent: --log-level/);
    expect(exitReason([])).toBeUndefined();
    expect(exitReason(['2026-01-01T00:00:00.000Z audit [servercontrol] exec: task 1 by 127.0.0.1: ls'])).toBe('[servercontrol] exec: task 1 by 127.0.0.1: ls');
  });

  it('describes exits by code, signal and the listeners that failed', () => {
    const run = { timedOut: false, stderrTail: ['2026-01-01T00:00:00.001Z error nothing is listening; exiting'], failures: ['gpu-usage: port in use', 'socktop: port in use'] };
    expect(describeExit({ code: 1, signal: null }, run)).toBe('exited with code 1: nothing is listening; exiting (gpu-usage: port in use and 1 more)');
    expect(describeExit({ code: null, signal: 'SIGKILL' }, run)).toBe('was killed by SIGKILL');
    expect(describeExit({ code: 0, signal: null }, run)).toBe('exited with code 0');
  });
});
