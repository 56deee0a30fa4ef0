import dgram from 'node:dgram';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scanLan } from './scanner';
import { DiscoveryService } from './service';
import { defaultDiscoveryTargets, directedBroadcast, parseTargetList } from './targets';

const sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A UDP responder that answers DISCOVER_SERVER like a real ServerControl server of some generation. */
async function responder(answer: object | string): Promise<{ port: number; requests: Buffer[] }> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  const requests: Buffer[] = [];
  socket.on('message', (message, remote) => {
    requests.push(message);
    if (message.toString('ascii') !== 'DISCOVER_SERVER') return;
    socket.send(typeof answer === 'string' ? answer : JSON.stringify(answer), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, requests };
}

describe('scanLan', () => {
  it('sends exactly the 15 bytes DISCOVER_SERVER in three rounds and reads the answer', async () => {
    const server = await responder({ discovery_port: 8081, hostname: 'vm', port: 8080, type: 'SERVER_RESPONSE', ws_port: 8082 });
    const hosts = await scanLan({ targets: ['127.0.0.1'], ports: [server.port], roundMs: 100 });
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((request) => request.equals(Buffer.from('DISCOVER_SERVER', 'ascii')))).toBe(true);
    expect(hosts).toEqual([{ address: '127.0.0.1', hostname: 'vm', protocols: [{ protocol: 'servercontrol', port: 8082 }], httpPort: 8080, isFleetWatchAgent: false, lastSeenMs: expect.any(Number) }]);
  });

  it('dedupes answers by address across ports and rounds, and ignores junk answers', async () => {
    const first = await responder({ type: 'SERVER_RESPONSE', hostname: 'box', port: 8080 });
    const second = await responder({ type: 'SERVER_RESPONSE', hostname: 'box', port: 8080, ws_stats: 9001 });
    const junk = await responder('not json at all');
    const seen: string[] = [];
    const hosts = await scanLan({ targets: ['127.0.0.1'], ports: [first.port, second.port, junk.port], roundMs: 100, onHost: (host) => seen.push(host.hostname) });
    expect(hosts).toHaveLength(1);
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('finishes quietly when nobody answers', async () => {
    const silent = dgram.createSocket('udp4');
    sockets.push(silent);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    expect(await scanLan({ targets: ['127.0.0.1'], ports: [silent.address().port], rounds: 1, roundMs: 50 })).toEqual([]);
  });
});

describe('discovery targets', () => {
  it('computes directed broadcast addresses', () => {
    expect(directedBroadcast('192.168.1.23', '255.255.255.0')).toBe('192.168.1.255');
    expect(directedBroadcast('10.1.2.3', '255.255.0.0')).toBe('10.1.255.255');
    expect(directedBroadcast('172.16.5.4', '255.255.255.252')).toBe('172.16.5.7');
  });

  it('uses the environment override instead of broadcast when it is set', () => {
    expect(defaultDiscoveryTargets({ FLEETWATCH_DISCOVERY_TARGETS: '127.0.0.1, 127.0.0.2' }, {})).toEqual(['127.0.0.1', '127.0.0.2']);
  });

  it('broadcasts to the limited address and each external IPv4 interface by default', () => {
    const interfaces = {
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: '' }],
      eth0: [{ address: '192.168.7.20', netmask: '255.255.255.0', family: 'IPv4', mac: '', internal: false, cidr: '' }],
    } as const;
    expect(defaultDiscoveryTargets({}, interfaces as never)).toEqual(['255.255.255.255', '192.168.7.255']);
  });

  it('rejects an override that is not a list of IPv4 addresses', () => {
    expect(() => parseTargetList('localhost')).toThrow(/not an IPv4 address/);
    expect(() => parseTargetList('300.1.1.1')).toThrow(/not an IPv4 address/);
  });
});

describe('DiscoveryService', () => {
  it('coalesces a scan requested while one runs, publishes progress, and forgets hosts not seen again', async () => {
    const server = await responder({ type: 'SERVER_RESPONSE', hostname: 'svc', port: 8080 });
    let clock = 1_000_000;
    let answer = true;
    const scans: number[] = [];
    const service = new DiscoveryService({
      targets: () => ['127.0.0.1'],
      ports: [server.port],
      rounds: 1,
      roundMs: 80,
      forgetAfterMs: 5000,
      now: () => clock,
      scan: async (options) => {
        scans.push(clock);
        return answer ? scanLan(options) : [];
      },
    });
    const states: boolean[] = [];
    service.subscribe((state) => states.push(state.scanning));
    await Promise.all([service.scanNow(), service.scanNow()]);
    expect(scans).toHaveLength(1);
    expect(service.state.hosts.map((host) => host.hostname)).toEqual(['svc']);
    expect(states[0]).toBe(true);
    expect(states.at(-1)).toBe(false);

    answer = false;
    clock += 6000;
    await service.scanNow();
    expect(service.state.hosts).toEqual([]);
  });
  it('scans once at start, then every interval, until stopped', async () => {
    vi.useFakeTimers();
    try {
      const scans: number[] = [];
      const service = new DiscoveryService({
        targets: () => ['127.0.0.1'],
        intervalMs: 60_000,
        scan: async () => {
          scans.push(Date.now());
          return [];
        },
      });
      const startedAt = Date.now();
      service.start();
      service.start();
      await vi.advanceTimersByTimeAsync(0);
      expect(scans).toEqual([startedAt]);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(scans).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(scans).toEqual([startedAt, startedAt + 60_000, startedAt + 120_000]);
      service.stop();
      await vi.advanceTimersByTimeAsync(180_000);
      expect(scans).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });
});
