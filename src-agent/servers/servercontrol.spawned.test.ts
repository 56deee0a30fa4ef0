// Needs the built agent: run `npm run build` first.

import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnAgent, type SpawnedAgent } from '../../test-support/test-agent';
import { connectRecorder, ofType } from '../../test-support/ws-recorder';

const TOKEN = 'spawned-secret-token-5f2c';

const agents: SpawnedAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.stop('SIGKILL')));
});

async function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { method: 'POST', body, headers });
  await response.arrayBuffer();
  return response.status;
}

describe('servercontrol in the built agent process', () => {
  it('survives hostile WebSocket, HTTP and UDP input while a bystander keeps receiving, runs an authorized task, and exits cleanly', async () => {
    const agent = await spawnAgent(['--allow-exec', '--log-level', 'debug'], { env: { FLEETWATCH_TOKEN: TOKEN } });
    agents.push(agent);
    expect(agent.failures).toEqual([]);
    const streamUrl = agent.url('servercontrol');
    const apiUrl = agent.url('servercontrol', 'api');
    const discovery = agent.endpoints.find((endpoint) => endpoint.owner === 'servercontrol' && endpoint.role === 'discovery')!;

    const bystander = await connectRecorder(streamUrl);
    await bystander.next(ofType('stats_update'), 4000);

    const attacker = await connectRecorder(streamUrl);
    for (const junk of ['not json', '{"type":"exec","cmd":"id"}', '{"type":"ping","request_id":{"a":1}}', '[]', '']) attacker.send(junk);
    attacker.send(randomBytes(3000));
    attacker.send(Buffer.alloc(1024 * 1024, 0x5b));
    expect((await attacker.closed).code).toBe(1009);

    expect(await post(new URL('/exec', apiUrl).href, '{"cmd":"id"}')).toBe(401);
    expect(await post(new URL('/exec', apiUrl).href, '{"cmd":"id"}', { authorization: 'Bearer nope' })).toBe(401);
    expect(await post(new URL('/exec', apiUrl).href, '{not json', { authorization: `Bearer ${TOKEN}` })).toBe(400);
    expect(await post(new URL('/exec', apiUrl).href, 'x'.repeat(200 * 1024), { authorization: `Bearer ${TOKEN}` })).toBe(413);
    expect(await post(new URL('/kill?id=abc', apiUrl).href, '', { authorization: `Bearer ${TOKEN}` })).toBe(400);
    expect((await fetch(new URL('/../../etc/passwd', apiUrl))).status).toBe(404);

    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    for (const datagram of [Buffer.alloc(4000, 1), Buffer.from('DISCOVER_SERVER\r\n'), randomBytes(64)]) udp.send(datagram, discovery.port, '127.0.0.1');
    const answer = new Promise<string>((resolve) => udp.once('message', (message) => resolve(message.toString())));
    udp.send('DISCOVER_SERVER', discovery.port, '127.0.0.1');
    expect(JSON.parse(await answer)).toMatchObject({ type: 'SERVER_RESPONSE', ws_port: Number(new URL(streamUrl).port), agent: 'fleetwatch' });
    udp.close();

    expect(await post(new URL('/exec', apiUrl).href, '{"cmd":"echo survived"}', { authorization: `Bearer ${TOKEN}` })).toBe(200);
    const output = await bystander.next((frame) => ofType('task_output')(frame) && (frame.json as { output: string }).output.includes('survived'), 5000);
    expect(output).toBeDefined();

    const seen = bystander.frames.filter(ofType('stats_update')).length;
    await bystander.collect(ofType('stats_update'), seen + 2, 4000);
    expect(agent.child.exitCode).toBeNull();
    expect(agent.stderr.filter((line) => line.includes(TOKEN))).toEqual([]);
    expect(agent.stderr.some((line) => / audit \[servercontrol\] exec: task 1 from .*: "echo survived"$/.test(line))).toBe(true);
    expect(agent.stderr.filter((line) => line.includes('[servercontrol]') && / (error|warn) /.test(line))).toEqual([]);

    bystander.close();
    expect(await agent.stop('SIGTERM')).toBe(0);
  });

  it('starts with --allow-exec but no token, reporting one line and keeping the stream and exec-off API running', async () => {
    const agent = await spawnAgent(['--allow-exec']);
    agents.push(agent);
    expect(agent.failures).toEqual(['servercontrol: --allow-exec needs --token (the bearer token for /exec); remote command execution stays off']);
    expect(await post(new URL('/exec', agent.url('servercontrol', 'api')).href, '{"cmd":"id"}', { authorization: 'Bearer anything' })).toBe(403);
    const client = await connectRecorder(agent.url('servercontrol'));
    await client.next(ofType('stats_update'), 4000);
    client.close();
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});
