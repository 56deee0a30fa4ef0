// Starts the built agent for a benchmark, as a separate process measured from outside.

import { spawnAgent, type SpawnedAgent } from '../../test-support/test-agent';

export interface BenchAgent extends SpawnedAgent {
  pid: number;
}

/**
 * Every port ephemeral, discovery on loopback only. Waits `settleMs` so start-up work (module loading,
 * static host info, and the garbage collections V8 runs in the first seconds) is not counted.
 */
export async function startBenchAgent(args: string[] = [], options: { gpus?: boolean; settleMs?: number } = {}): Promise<BenchAgent> {
  const agent = await spawnAgent(['--log-level', 'warn', ...args], { gpus: options.gpus, timeoutMs: 20_000 });
  if (agent.failures.length > 0) {
    await agent.stop();
    throw new Error(`bench agent could not start: ${agent.failures.join('; ')}`);
  }
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 2000));
  return { ...agent, pid: agent.child.pid! };
}

/** The URL a local client uses for a protocol, credentials included. */
export function connectUrl(agent: SpawnedAgent, protocol: string): string {
  return agent.connect.find((endpoint) => endpoint.protocol === protocol)?.url ?? agent.url(protocol);
}
