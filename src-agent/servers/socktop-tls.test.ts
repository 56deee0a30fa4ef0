import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection, type ConnectionState } from '../../proto/connection';
import { socktopClient } from '../../proto/socktop/client';
import { recordSink } from '../../test-support/sink-recorder';
import { startTestAgent, tempDataDir, type TestAgent } from '../../test-support/test-agent';
import { sleep } from '../../test-support/ws-recorder';
import { normalizeFingerprint, pinnedWebSocket } from '../net/pinned-websocket';
import { runProbe } from '../cli/probe';
import { cleanupAfterEach } from '../../test-support/cleanups';

const cleanups = cleanupAfterEach();

async function tlsAgent(dataDir = tempDataDir(), extra: string[] = []): Promise<TestAgent> {
  const agent = await startTestAgent(['--tls', '--data-dir', dataDir, ...extra]);
  cleanups.push(() => agent.close());
  return agent;
}

function tlsEndpoint(agent: TestAgent) {
  const endpoint = agent.endpoints.find((candidate) => candidate.owner === 'socktop' && candidate.kind === 'wss');
  if (!endpoint?.url || !endpoint.fingerprint256) throw new Error('no socktop TLS endpoint with a fingerprint');
  return { url: endpoint.url, fingerprint: endpoint.fingerprint256, port: endpoint.port };
}

describe('socktop over TLS (--tls)', () => {
  it('generates a self-signed ECDSA P-256 certificate with its key at 0600, prints its fingerprint, and reuses it', async () => {
    const dataDir = tempDataDir();
    const first = await tlsAgent(dataDir);
    const { fingerprint } = tlsEndpoint(first);
    const cert = new X509Certificate(readFileSync(path.join(dataDir, 'socktop-tls-cert.pem')));
    expect(cert.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    expect(cert.fingerprint256).toBe(fingerprint);
    expect(statSync(path.join(dataDir, 'socktop-tls-key.pem')).mode & 0o777).toBe(0o600);
    expect(first.notices.some((line) => line.includes('generated') && line.includes(fingerprint))).toBe(true);
    await first.close();

    const second = await tlsAgent(dataDir);
    expect(tlsEndpoint(second).fingerprint).toBe(fingerprint);
    expect(second.notices.some((line) => line.includes('loaded'))).toBe(true);
  });

  it('serves the socktop client over a real TLS handshake when the fingerprint is pinned', async () => {
    const agent = await tlsAgent();
    const { url, fingerprint } = tlsEndpoint(agent);
    const sink = recordSink();
    const connection = new Connection({ endpoint: { protocol: 'socktop', url }, client: socktopClient, WebSocket: pinnedWebSocket(fingerprint), sink });
    connection.start();
    cleanups.push(() => connection.stop());
    await sink.until(() => sink.samples.length >= 1, 5000, 'a sample over TLS');
    expect(sink.samples[0]!.sample.cpu?.perCorePercent?.length).toBeGreaterThan(0);
  });

  it('refuses a server whose certificate does not match the pin, before sending anything', async () => {
    const agent = await tlsAgent(tempDataDir(), ['--socktop-token', 'never-leak-me']);
    const { port } = tlsEndpoint(agent);
    const wrongPin = 'AA:'.repeat(31) + 'AA';
    const states: ConnectionState[] = [];
    const connection = new Connection({
      endpoint: { protocol: 'socktop', url: `wss://127.0.0.1:${port}/ws?token=never-leak-me` },
      client: socktopClient,
      WebSocket: pinnedWebSocket(wrongPin),
      sink: recordSink(),
      onState: (state) => states.push(state),
    });
    connection.start();
    cleanups.push(() => connection.stop());
    await sleep(500);
    expect(states.find((state) => state.status === 'reconnecting')).toMatchObject({ reason: expect.stringContaining('does not match the pinned') });
    expect(agent.logs.filter((line) => line.includes('[socktop]') && /token|client/.test(line) && !line.includes('listening'))).toEqual([]);
  });

  it('sends no byte of the upgrade (with its token) to an impostor with another certificate', async () => {
    const agent = await tlsAgent();
    const impostorIdentity = await startTestAgent(['--tls', '--data-dir', tempDataDir()]);
    cleanups.push(() => impostorIdentity.close());
    const impostorDir = impostorIdentity.dataDir;
    let received = '';
    const impostor = tls.createServer({ cert: readFileSync(path.join(impostorDir, 'socktop-tls-cert.pem')), key: readFileSync(path.join(impostorDir, 'socktop-tls-key.pem')) }, (socket) => {
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => impostor.close(resolve)));
    const PinnedToReal = pinnedWebSocket(tlsEndpoint(agent).fingerprint);
    const socket = new PinnedToReal(`wss://127.0.0.1:${(impostor.address() as { port: number }).port}/ws?token=SECRET-TOKEN`);
    const failed = new Promise<string>((resolve) => (socket.onerror = (event) => resolve(String((event as { message?: string }).message))));
    expect(await failed).toMatch(/does not match the pinned/);
    await sleep(200);
    expect(received).toBe('');
  });

  it('is refused by a client that does not pin it (self-signed), and by agent probe with a wrong --pin', async () => {
    const agent = await tlsAgent();
    const { url, fingerprint } = tlsEndpoint(agent);
    const unpinned = new WebSocket(url);
    const error = await new Promise<Error>((resolve) => unpinned.once('error', resolve));
    expect(error.message).toMatch(/self.signed|certificate/i);

    const output: string[] = [];
    const collect = (text: string): void => void output.push(text);
    expect(await runProbe([url, '--pin', fingerprint.toLowerCase().replace(/:/g, ''), '--json', '--sample-timeout', '5'], collect, collect)).toBe(0);
    expect(JSON.parse(output.at(-1)!).found[0].protocol).toBe('socktop');
    expect(await runProbe([url, '--pin', 'BB:'.repeat(31) + 'BB', '--json'], collect, collect)).toBe(4);
  });

  it('normalizes pasted fingerprints and rejects ones of the wrong length', () => {
    expect(normalizeFingerprint('sha256:' + 'ab'.repeat(32))).toBe(('AB:'.repeat(31) + 'AB'));
    expect(() => normalizeFingerprint('AB:CD')).toThrow(/64 hex digits/);
  });
});
