// The agent's limits against overload and abuse, each with a flag: connections in total and per address
// (shared by every listener), how long a connection may take to say what it wants, how many messages a
// WebSocket client and how many HTTP requests an address may send per second, and the send-buffer bound
// for clients that do not read.

import { numberFlag, stringFlag } from '../cli/flags';
import type { FlagValues } from '../cli/parse';
import type { BackpressurePolicy } from './bounded-send';
import type { HostPolicy } from './host-check';
import { RequestRateTable } from './request-rate';

const GROUP = 'limits';

export const maxConnectionsFlag = numberFlag({ name: 'max-connections', group: GROUP, help: 'Open connections allowed across every protocol', defaultValue: 1024, min: 1, max: 100_000, integer: true });
export const maxConnectionsPerIpFlag = numberFlag({ name: 'max-connections-per-ip', group: GROUP, help: 'Open connections allowed from one address', defaultValue: 128, min: 1, max: 100_000, integer: true });
export const handshakeTimeoutFlag = numberFlag({
  name: 'handshake-timeout',
  group: GROUP,
  help: 'Seconds a new connection has to send its HTTP request or WebSocket upgrade',
  valueName: '<seconds>',
  defaultValue: 10,
  min: 1,
  max: 300,
});
export const maxMessagesFlag = numberFlag({
  name: 'max-messages-per-second',
  group: GROUP,
  help: 'Messages one WebSocket client may send per second (bursts of twice that); more closes it with 1008',
  defaultValue: 20,
  min: 1,
  max: 100_000,
});
// A dashboard page makes a few requests at load and one every 5 s, a Prometheus scrape one every 15 s:
// the default is far above either, and still caps a client hammering /stats or /exec.
export const maxRequestsFlag = numberFlag({
  name: 'max-requests-per-second',
  group: GROUP,
  help: 'HTTP requests one address may make per second across every listener (bursts of twice that); more are answered 429 with Retry-After',
  defaultValue: 50,
  min: 1,
  max: 100_000,
});
export const maxBufferedFlag = numberFlag({
  name: 'max-buffered-kib',
  group: GROUP,
  help: "Unsent KiB a client may owe before broadcasts skip it (a client that doesn't read)",
  valueName: '<KiB>',
  defaultValue: 1024,
  min: 16,
  max: 1_048_576,
  integer: true,
});
export const slowClientGraceFlag = numberFlag({
  name: 'slow-client-grace',
  group: GROUP,
  help: 'Seconds a client may stay over the send-buffer bound before it is closed',
  valueName: '<seconds>',
  defaultValue: 30,
  min: 1,
  max: 3600,
});
export const allowedHostsFlag = stringFlag({
  name: 'allowed-hosts',
  group: GROUP,
  help: 'Extra host names HTTP and WebSocket requests may use (addresses, localhost and this machine\'s names always work)',
  valueName: '<name,name>',
});

export const LIMIT_FLAGS = [maxConnectionsFlag, maxConnectionsPerIpFlag, handshakeTimeoutFlag, maxMessagesFlag, maxRequestsFlag, maxBufferedFlag, slowClientGraceFlag, allowedHostsFlag];

/** Counts open connections across every listener of the agent. */
export class ConnectionTracker {
  private total = 0;
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerAddress: number,
  ) {}

  /** Claims a slot, or says which limit refused it. */
  admit(address: string): 'ok' | 'total' | 'per-address' {
    if (this.total >= this.maxTotal) return 'total';
    const current = this.perAddress.get(address) ?? 0;
    if (current >= this.maxPerAddress) return 'per-address';
    this.total += 1;
    this.perAddress.set(address, current + 1);
    return 'ok';
  }

  release(address: string): void {
    const current = this.perAddress.get(address) ?? 0;
    if (current <= 0) return;
    this.total -= 1;
    if (current === 1) this.perAddress.delete(address);
    else this.perAddress.set(address, current - 1);
  }

  get open(): number {
    return this.total;
  }
}

export interface AgentLimits {
  connections: ConnectionTracker;
  handshakeTimeoutMs: number;
  maxMessagesPerSecond: number;
  /** Plain HTTP requests per client address, shared by every listener. */
  requests: RequestRateTable;
  backpressure: BackpressurePolicy;
  hosts: HostPolicy;
}

export function limitsFromFlags(flags: FlagValues): AgentLimits {
  return {
    connections: new ConnectionTracker(flags.get(maxConnectionsFlag), flags.get(maxConnectionsPerIpFlag)),
    handshakeTimeoutMs: flags.get(handshakeTimeoutFlag) * 1000,
    maxMessagesPerSecond: flags.get(maxMessagesFlag),
    requests: new RequestRateTable(flags.get(maxRequestsFlag), flags.get(maxRequestsFlag) * 2),
    backpressure: { maxBufferedBytes: flags.get(maxBufferedFlag) * 1024, graceMs: flags.get(slowClientGraceFlag) * 1000 },
    hosts: {
      extraHosts: (flags.get(allowedHostsFlag) ?? '')
        .split(',')
        .map((name) => name.trim().toLowerCase())
        .filter(Boolean),
    },
  };
}
