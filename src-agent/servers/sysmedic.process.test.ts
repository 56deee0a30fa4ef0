// Against the built agent process (`npm run build` first): hostile SysMedic clients do not take it down.

import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { spawnAgent, type SpawnedAgent } from '../../test-support/test-agent';
import { connectRecorder, ofType, sleep, type Recorder } from '../../test-support/ws-recorder';
import { cleanupAfterEach } from '../../test-support/cleanups';

const SECRET = 'process-test-secret-91c2';

const cleanups = cleanupAfterEach();

function rawTcp(port: number, payload: Buffer | string): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(payload));
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.setTimeout(2000, () => socket.destroy());
  });
}

async function tryConnect(url: string): Promise<Recorder | undefined> {
  try {
    return await connectRecorder(url);
  } catch {
    return undefined;
  }
}

describe('sysmedic in the built agent process', () => {
  it('survives hostile clients, keeps streaming to a well-behaved one, and never writes the secret to a piped stderr', async () => {
    const agent: SpawnedAgent = await spawnAgent(['--sysmedic-secret', SECRET, '--sysmedic-interval', '1']);
    cleanups.push(() => agent.stop('SIGKILL'));
    const wsUrl = agent.url('sysmedic');
    const port = Number(new URL(wsUrl).port);
    const bystander = await connectRecorder(`${wsUrl}?secret=${SECRET}`);
    cleanups.push(() => bystander.close());
    await bystander.next(ofType('system_update'), 4000);

    for (const query of ['', '?secret=', '?secret=wrong', `?secret=${'x'.repeat(5000)}`]) expect(await tryConnect(`${wsUrl}${query}`)).toBeUndefined();
    for (let round = 0; round < 3; round++) {
      const attacker = await connectRecorder(`${wsUrl}?secret=${SECRET}`);
      for (const junk of ['not json', '{"type":null}', '[1,2,3]', '{"type":"get_config","request_id":{"$gt":""}}', '\u0000\uffff']) attacker.send(junk);
      attacker.send(randomBytes(256));
      attacker.send(JSON.stringify({ type: 'x'.repeat(400), request_id: 'overflow' }));
      attacker.send(Buffer.alloc(1024 * 1024, 0x7b));
      expect((await attacker.closed).code).toBe(1009);
    }
    await rawTcp(port, randomBytes(4096));
    await rawTcp(port, 'GET /ws?secret=' + SECRET + ' HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n' + 'garbage'.repeat(100));
    await rawTcp(port, 'POST /health HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n' + 'a'.repeat(1000));

    const before = bystander.frames.filter(ofType('system_update')).length;
    await bystander.collect(ofType('system_update'), before + 2, 5000);
    bystander.send('{"type":"get_config","request_id":"after"}');
    const config = await bystander.next((frame) => (frame.json as { request_id?: string } | undefined)?.request_id === 'after', 3000);
    expect(config.text).not.toContain(SECRET);
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { status: string; clients: number };
    expect(health).toMatchObject({ status: 'healthy', clients: 1 });

    await sleep(200);
    // stderr is a pipe here, as under the desktop app's supervisor, which writes it to a log file.
    expect(agent.stderr.filter((line) => line.includes(SECRET))).toEqual([]);
    const quickConnect = agent.stderr.filter((line) => line.includes('SysMedic quick connect:'));
    expect(quickConnect).toHaveLength(1);
    expect(quickConnect[0]).toContain(`SysMedic quick connect: sysmedic://<secret>@127.0.0.1:${port}/ (<secret> is the one given by --sysmedic-secret)`);
    expect(agent.child.exitCode).toBeNull();
    bystander.close();
    expect(await agent.stop('SIGTERM')).toBe(0);
  });
});
