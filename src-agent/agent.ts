// Composes the agent: one sampler, every enabled service started side by side. A service that cannot
// bind a port reports one line and the others keep running.

import type { Endpoint } from '../proto/client';
import type { FlagSpec } from './cli/flags';
import type { FlagValues } from './cli/parse';
import { dataDirFlag, GENERAL_FLAGS, hostFlag, hostnameFlag } from './cli/general-flags';
import { defaultDataDir } from './data-dir';
import type { Logger } from './log';
import { exposureLines, reachableUrls } from './net/exposure';
import { LIMIT_FLAGS, limitsFromFlags } from './net/limits';
import { SystemSampler, systemCollectors, type Sampler } from './sampler/sampler';
import { metricsService } from './metrics/metrics-service';
import { SERVERS } from './servers/registry';
import type { AgentService, ListeningEndpoint, RunningServer } from './servers/types';

/** The protocol servers, then the agent's own HTTP endpoint. The dashboard is the hub's (`agent hub`). */
export function agentServices(): AgentService[] {
  return [...Object.values(SERVERS), metricsService];
}

export function agentFlags(services: readonly AgentService[] = agentServices()): FlagSpec<unknown>[] {
  return [...GENERAL_FLAGS, ...LIMIT_FLAGS, ...services.flatMap((service) => service.flags)] as FlagSpec<unknown>[];
}

export interface RunningAgent {
  endpoints: ListeningEndpoint[];
  connect: Endpoint[];
  failures: string[];
  notices: string[];
  /** What to print instead of `notices` when stderr is an interactive terminal; may carry secrets. */
  terminalNotices: string[];
  /** For an agent bound beyond loopback: where the LAN reaches it, and what it serves there without a credential. */
  exposure: string[];
  sampler: Sampler;
  close(): Promise<void>;
}

export interface AgentOptions {
  flags: FlagValues;
  log: Logger;
  services?: readonly AgentService[];
  sampler?: Sampler;
}

export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { flags, log } = options;
  const services = options.services ?? agentServices();
  const sampler = options.sampler ?? new SystemSampler(systemCollectors(undefined, flags.get(hostnameFlag)), undefined, undefined, (what, error) => log.child('sampler').warn(`${what}: ${error.message}`));
  // Static host info costs ~600 ms the first time; collect it now rather than in the first client's wait.
  sampler.hostInfo().catch((error: Error) => log.child('sampler').warn(`host info: ${error.message}`));
  const endpoints: ListeningEndpoint[] = [];
  const connect: Endpoint[] = [];
  const failures: string[] = [];
  let markStarted = (): void => {};
  const allStarted = new Promise<void>((resolve) => (markStarted = resolve));
  const context = {
    sampler,
    flags,
    host: flags.get(hostFlag) ?? '127.0.0.1',
    limits: limitsFromFlags(flags),
    log,
    dataDir: flags.get(dataDirFlag) ?? defaultDataDir(),
    endpoints: () => endpoints,
    connectEndpoints: () => connect,
    failures: () => failures,
    allStarted,
  };

  const enabled = services.filter((service) => !flags.get(service.disabled));
  const started = await Promise.all(
    enabled.map((service) =>
      service.start(context).catch((error: Error): RunningServer => ({ endpoints: [], failures: [`${service.id}: ${error.message}`], close: async () => {} })),
    ),
  );
  for (const running of started) {
    for (const endpoint of running.endpoints) {
      const reachableAt = reachableUrls(endpoint);
      endpoints.push(reachableAt.length > 0 ? { ...endpoint, reachableAt } : endpoint);
    }
    connect.push(...(running.connect ?? []));
    failures.push(...running.failures);
  }
  markStarted();

  let closing: Promise<void> | undefined;
  return {
    endpoints,
    connect,
    failures,
    notices: started.flatMap((running) => running.notices ?? []),
    terminalNotices: started.flatMap((running) => running.terminalNotices ?? running.notices ?? []),
    exposure: exposureLines(context.host, endpoints),
    sampler,
    // Idempotent: a signal handler and a supervisor may both ask.
    close: () => (closing ??= Promise.all(started.map((running) => running.close())).then(() => undefined)),
  };
}
