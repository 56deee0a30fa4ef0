// `agent discover [--json] [--timeout-rounds N] [--ports p,p]`: one LAN discovery scan from the command
// line, with the same scanner the desktop app uses. Targets come from defaultDiscoveryTargets(), so
// FLEETWATCH_DISCOVERY_TARGETS keeps a scan on loopback.

import { parseArgs } from './parse-args';
import { DISCOVERY_PORTS, type DiscoveredHost } from '../../proto/discovery';
import { scanLan } from '../discovery/scanner';
import { defaultDiscoveryTargets } from '../discovery/targets';

export const DISCOVER_EXIT = { found: 0, noneFound: 1, usage: 2 } as const;

const MAX_ROUNDS = 20;
const ROUND_MS = 500;

export const DISCOVER_USAGE = `Usage: agent discover [--json] [--timeout-rounds <n>] [--ports <port,port>]
  Sends ServerControl's DISCOVER_SERVER to the broadcast address and every interface's directed
  broadcast address, and lists the hosts that answer (deduplicated by address).
  --json                one JSON object: {"targets", "ports", "hosts"}
  --timeout-rounds <n>  rounds to send and listen, ${ROUND_MS} ms each (default 3, at most ${MAX_ROUNDS})
  --ports <port,port>   UDP ports to ask on (default ${DISCOVERY_PORTS.join(',')})
FLEETWATCH_DISCOVERY_TARGETS=<ip,ip> sends to those addresses instead of broadcasting.
Exit codes: 0 at least one host answered; 1 none did; 2 bad usage.
`;

type Out = (text: string) => void;

function parsePorts(raw: string): number[] {
  const ports = raw.split(',').map((part) => {
    const port = Number(part.trim());
    if (!/^\d+$/.test(part.trim()) || port < 1 || port > 65535) throw new Error(`--ports expects ports from 1 to 65535, got "${part}"`);
    return port;
  });
  return [...new Set(ports)];
}

export async function runDiscover(
  argv: readonly string[],
  out: Out = (text) => process.stdout.write(text),
  err: Out = (text) => process.stderr.write(text),
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let rounds: number;
  let ports: number[];
  let targets: string[];
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, help: { type: 'boolean' }, 'timeout-rounds': { type: 'string' }, ports: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      out(DISCOVER_USAGE);
      return DISCOVER_EXIT.found;
    }
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
    rounds = Number(values['timeout-rounds'] ?? 3);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > MAX_ROUNDS) throw new Error(`--timeout-rounds expects a whole number from 1 to ${MAX_ROUNDS}`);
    ports = values.ports === undefined ? [...DISCOVERY_PORTS] : parsePorts(values.ports);
    targets = defaultDiscoveryTargets(env);
    json = values.json === true;
  } catch (error) {
    err(`agent discover: ${(error as Error).message}\n\n${DISCOVER_USAGE}`);
    return DISCOVER_EXIT.usage;
  }

  if (!json) err(`Asking ${targets.join(', ')} on UDP ${ports.join(', ')} (${rounds} × ${ROUND_MS} ms) …\n`);
  const hosts = await scanLan({ targets, ports, rounds, roundMs: ROUND_MS });
  hosts.sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }));
  out(json ? JSON.stringify({ targets, ports, hosts }) + '\n' : renderHosts(hosts));
  return hosts.length > 0 ? DISCOVER_EXIT.found : DISCOVER_EXIT.noneFound;
}

export function renderHosts(hosts: readonly DiscoveredHost[]): string {
  if (hosts.length === 0) return 'No host answered.\n';
  const rows = [
    ['address', 'hostname', 'protocols', 'agent'],
    ...hosts.map((host) => [host.address, host.hostname, host.protocols.map((entry) => `${entry.protocol}:${entry.port}`).join(' '), host.isFleetWatchAgent ? 'FleetWatch' : '—']),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n') + '\n';
}
