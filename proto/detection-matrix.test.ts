// The cross-detection matrix: each protocol is found on our agent and on a stand-in for its real server, on
// its port and on another; each fingerprint accepts its own protocol's frames and rejects the other four's.

import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STREAM_CLIENTS } from './clients';
import { detect } from './detect';
import { STREAM_PROTOCOL_IDS, type StreamProtocolId } from './protocols';
import { parseTarget } from './target';
import { REAL_DISKS, REAL_METRICS, realAgent, realJsonFrame } from './socktop/test-real-agent';
import { replaySession, startFixtureServer, type FixtureServer } from '../test-support/fixture-server';
import { serverFrames } from '../test-support/recorded-session';
import { startTestAgent, type TestAgent } from '../test-support/test-agent';
import { connectRecorder } from '../test-support/ws-recorder';

const fixture = (id: string, file: string): string => path.join(import.meta.dirname, id, 'fixtures', file);

/** Frames real servers of each protocol sent (recorded where recordings exist, otherwise shaped as theirs). */
const REAL_FRAMES: Record<StreamProtocolId, string[]> = {
  'gpu-usage': serverFrames(fixture('gpu-usage', 'reference-server.jsonl')),
  servercontrol: [...serverFrames(fixture('servercontrol', 'v1-listen.jsonl')), ...serverFrames(fixture('servercontrol', 'v1-ping-exec.jsonl'))],
  socktop: [JSON.stringify(REAL_METRICS), JSON.stringify(REAL_DISKS)],
  vstats: [...serverFrames(fixture('vstats', 'scripted-real-hub.jsonl')), ...serverFrames(fixture('vstats', 'scripted-legacy-hub.jsonl'))],
  sysmedic: [...serverFrames(fixture('sysmedic', 'daemon-requests-ignored.jsonl')), ...serverFrames(fixture('sysmedic', 'request-response-server.jsonl'))],
};

describe('fingerprints', () => {
  it.each(STREAM_PROTOCOL_IDS)('%s accepts at least one frame of its own real servers', (id) => {
    expect(REAL_FRAMES[id].some((frame) => STREAM_CLIENTS[id].fingerprint(frame) !== null)).toBe(true);
  });

  it.each(STREAM_PROTOCOL_IDS)("%s rejects every frame of the other four protocols' real servers", (id) => {
    for (const other of STREAM_PROTOCOL_IDS.filter((candidate) => candidate !== id)) {
      for (const frame of REAL_FRAMES[other]) expect(STREAM_CLIENTS[id].fingerprint(frame), `${id} matched a ${other} frame: ${frame.slice(0, 100)}`).toBeNull();
    }
  });
});

describe('detection against our agent', () => {
  let agent: TestAgent;
  /** Frames our own agent sends to a client that connects and, where needed, asks. */
  const ourFrames = new Map<string, string[]>();

  beforeAll(async () => {
    agent = await startTestAgent(['--gpu-usage-interval', '1']);
    for (const endpoint of agent.connect) {
      const recorder = await connectRecorder(endpoint.url);
      if (endpoint.protocol === 'gpu-usage') recorder.send('subscribe:usage');
      if (endpoint.protocol === 'socktop') recorder.send('get_metrics');
      await recorder.collect(() => true, 1, 5000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      ourFrames.set(endpoint.protocol, recorder.frames.filter((frame) => !frame.binary).map((frame) => frame.text));
      recorder.close();
    }
  });
  afterAll(() => agent.close());

  it("each fingerprint accepts our agent's frames of its protocol and rejects those of the other four", () => {
    for (const id of STREAM_PROTOCOL_IDS) {
      expect(ourFrames.get(id)?.some((frame) => STREAM_CLIENTS[id].fingerprint(frame) !== null), `${id} on our agent`).toBe(true);
      for (const other of STREAM_PROTOCOL_IDS.filter((candidate) => candidate !== id)) {
        for (const frame of ourFrames.get(other) ?? []) expect(STREAM_CLIENTS[id].fingerprint(frame), `${id} matched our ${other} frame ${frame.slice(0, 80)}`).toBeNull();
      }
    }
  });

  it.each(STREAM_PROTOCOL_IDS)('finds exactly %s on its port, explaining why', async (id) => {
    const endpoint = agent.connect.find((candidate) => candidate.protocol === id)!;
    const report = await detect(parseTarget(endpoint.url), { WebSocket });
    expect(report.found.map((found) => found.protocol)).toEqual([id]);
    expect(report.found[0]!.evidence.length).toBeGreaterThan(10);
  });

  it('says a SysMedic secret is needed when the URL has none', async () => {
    const port = agent.endpoint('sysmedic').port;
    const report = await detect(`127.0.0.1:${port}`, { WebSocket });
    expect(report.found).toEqual([]);
    expect(report.attempts[0]).toMatchObject({ outcome: 'auth-required', detail: expect.stringContaining('401') });
  });

  it('says a socktop token is needed when the agent requires one', async () => {
    const guarded = await startTestAgent(['--socktop-token', 'right-token']);
    try {
      const port = guarded.endpoint('socktop').port;
      expect((await detect(`127.0.0.1:${port}`, { WebSocket })).attempts[0]?.outcome).toBe('auth-required');
      expect((await detect(`127.0.0.1:${port}?token=wrong`, { WebSocket })).attempts[0]).toMatchObject({ outcome: 'auth-required', detail: expect.stringContaining('refused') });
      expect((await detect(`127.0.0.1:${port}?token=right-token`, { WebSocket })).found.map((found) => found.protocol)).toEqual(['socktop']);
    } finally {
      await guarded.close();
    }
  });
});

describe('detection against stand-ins for the real servers, on their default ports where free and on others', () => {
  const servers: FixtureServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  async function serve(options: Parameters<typeof startFixtureServer>[0]): Promise<FixtureServer> {
    const server = await startFixtureServer(options);
    servers.push(server);
    return server;
  }

  const STAND_INS: Record<StreamProtocolId, () => Parameters<typeof startFixtureServer>[0]> = {
    sysmedic: () => ({ onConnection: replaySession(fixture('sysmedic', 'daemon-requests-ignored.jsonl')) }),
    vstats: () => ({ onConnection: replaySession(fixture('vstats', 'scripted-real-hub.jsonl')) }),
    servercontrol: () => ({ onConnection: replaySession(fixture('servercontrol', 'v1-listen.jsonl')) }),
    'gpu-usage': () => ({
      onConnection(socket) {
        socket.once('message', (data) => {
          if (data.toString() !== 'subscribe:usage') return socket.close();
          for (const frame of REAL_FRAMES['gpu-usage']) socket.send(frame);
        });
      },
    }),
    socktop: () => ({ onConnection: realAgent() }),
  };

  it.each(STREAM_PROTOCOL_IDS)('finds the real %s variant', async (id) => {
    const server = await serve(STAND_INS[id]());
    const report = await detect(`127.0.0.1:${server.port}`, { WebSocket });
    expect(report.found.map((found) => found.protocol)).toEqual([id]);
  });

  it('says a socktop token is needed when the real agent upgrades a wrong token and closes at once', async () => {
    const server = await serve({ onConnection: realAgent({ token: 'right' }) });
    const bare = await detect(`127.0.0.1:${server.port}`, { WebSocket });
    expect(bare.attempts[0]).toMatchObject({ outcome: 'auth-required', protocol: 'socktop', detail: expect.stringMatching(/^It needs a socktop token: The server closed the connection at once/) });
    const wrong = await detect(`127.0.0.1:${server.port}?token=wrong`, { WebSocket });
    expect(wrong.attempts[0]).toMatchObject({ outcome: 'auth-required', detail: expect.stringMatching(/^The credentials given were refused/) });
    expect((await detect(`127.0.0.1:${server.port}?token=right`, { WebSocket })).found.map((found) => found.protocol)).toEqual(['socktop']);
  });

  it('still calls a server that stays open a while and then closes without a word unrecognized', async () => {
    const server = await serve({ onConnection: (socket) => setTimeout(() => socket.close(), 1200) });
    const report = await detect(`127.0.0.1:${server.port}`, { WebSocket });
    expect(report.attempts[0]).toMatchObject({ outcome: 'unrecognized', detail: expect.stringContaining('closed the connection') });
  });

  it('finds every protocol a bare host serves by trying all default ports at once', async () => {
    // 127.0.0.2 is loopback too on Linux, so the real default ports are free there whatever else runs.
    const agent = await startTestAgent([
      ...['--host', '127.0.0.2', '--gpu-usage-port', '33931', '--servercontrol-port', '8082', '--socktop-port', '3000', '--vstats-port', '3001', '--sysmedic-port', '8060'],
      ...['--sysmedic-secret', 'matrix-secret'],
    ]);
    try {
      const bare = await detect('127.0.0.2', { WebSocket });
      expect(bare.found.map((found) => found.protocol).sort()).toEqual(['gpu-usage', 'servercontrol', 'socktop', 'vstats']);
      expect(bare.attempts.find((attempt) => attempt.port === 8060)?.outcome).toBe('auth-required');
      expect(bare.attempts.find((attempt) => attempt.port === 8443)?.outcome).toBe('unreachable');
      const withSecret = await detect('sysmedic://matrix-secret@127.0.0.2/', { WebSocket });
      expect(withSecret.found.map((found) => found.protocol)).toEqual(['sysmedic']);
      // A bare host with a secret: found on every port, but the secret goes only to SysMedic's.
      const bareWithSecret = await detect('127.0.0.2?secret=matrix-secret', { WebSocket });
      expect(Object.fromEntries(bareWithSecret.found.map((found) => [found.protocol, found.endpoint.url]))).toEqual({
        'gpu-usage': 'ws://127.0.0.2:33931/usage',
        servercontrol: 'ws://127.0.0.2:8082/',
        socktop: 'ws://127.0.0.2:3000/ws',
        vstats: 'ws://127.0.0.2:3001/ws',
        sysmedic: 'ws://127.0.0.2:8060/ws?secret=matrix-secret',
      });
    } finally {
      await agent.close();
    }
  });

  it('reads a socktop reply that arrives gzip-compressed in a binary frame', () => {
    const frame = realJsonFrame({ ...REAL_METRICS, networks: Array.from({ length: 40 }, (_, index) => ({ name: `eth${index}`, received: index, transmitted: index })) });
    expect(typeof frame).not.toBe('string');
    expect(STREAM_CLIENTS.socktop.fingerprint(new Uint8Array(frame as Buffer))).not.toBeNull();
  });
});
