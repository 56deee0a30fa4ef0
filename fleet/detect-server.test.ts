// "Add server" detection against a real agent on loopback, with credentials asked for and retried.

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TargetError } from '../proto/target';
import type { Attempt } from '../proto/detect';
import { freePort } from '../test-support/free-port';
import { startTestAgent, type TestAgent } from '../test-support/test-agent';
import { detectServer } from './detect-server';

let agent: TestAgent;
beforeAll(async () => {
  agent = await startTestAgent(['--socktop-token', 'sock-tok']);
});
afterAll(() => agent.close());

const portOf = (protocol: string): number => Number(new URL(agent.connect.find((endpoint) => endpoint.protocol === protocol)!.url).port);
const secretOf = (): string => new URL(agent.connect.find((endpoint) => endpoint.protocol === 'sysmedic')!.url).searchParams.get('secret')!;

describe('detectServer', () => {
  it('detects a plain endpoint and reports its progress and evidence', async () => {
    const progress: (readonly Attempt[])[] = [];
    const result = await detectServer(`127.0.0.1:${portOf('gpu-usage')}`, {}, { WebSocket, onProgress: (attempts) => progress.push(attempts) });
    expect(result.found.map((found) => found.protocol)).toEqual(['gpu-usage']);
    expect(result.found[0]!.evidence).toMatch(/subscribed|system_info|usage_update/);
    expect(result.needsCredentials).toEqual([]);
    expect(progress[0]![0]!.outcome).toBe('pending');
    expect(progress.at(-1)![0]!.outcome).toBe('detected');
  });

  it('asks for a credential when a port refuses, and finds SysMedic once given the secret', async () => {
    const target = `127.0.0.1:${portOf('sysmedic')}`;
    const refused = await detectServer(target, {}, { WebSocket });
    expect(refused.found).toEqual([]);
    expect(refused.needsCredentials).toEqual([{ port: portOf('sysmedic'), protocols: ['sysmedic', 'socktop'], detail: expect.stringContaining('401') }]);

    const accepted = await detectServer(target, { secret: secretOf() }, { WebSocket });
    expect(accepted.found.map((found) => found.protocol)).toEqual(['sysmedic']);
    expect(accepted.found[0]!.endpoint.url).toContain(`secret=${encodeURIComponent(secretOf())}`);
    expect(accepted.needsCredentials).toEqual([]);
    expect(accepted.attempts[0]!.outcome).toBe('detected');
  });

  it('finds socktop behind its token, and a wrong credential kind does not hide it', async () => {
    const result = await detectServer(`ws://127.0.0.1:${portOf('socktop')}/ws`, { secret: 'not-this', token: 'sock-tok' }, { WebSocket });
    expect(result.found.map((found) => found.protocol)).toEqual(['socktop']);
    expect(result.found[0]!.endpoint.url).toContain('token=sock-tok');
  });

  it('asks for no credential where nothing listens: Node says the connection was refused, and no secret changes that', async () => {
    const closed = await freePort();
    const result = await detectServer(`127.0.0.1:${closed}`, {}, { WebSocket });
    expect(result.found).toEqual([]);
    expect(result.attempts.map((attempt) => attempt.detail)).toEqual([expect.stringContaining('(connection refused)')]);
    expect(result.needsCredentials).toEqual([]);
  });

  it('rejects what is not a server address with a message for the user', async () => {
    await expect(detectServer('ftp://nope', {}, { WebSocket })).rejects.toBeInstanceOf(TargetError);
  });
});
