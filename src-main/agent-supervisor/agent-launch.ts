// How the desktop app starts its bundled agent: which flags, which environment, which token.
// The token travels in the environment only: a command line is visible to every user in `ps`.

import { randomBytes } from 'node:crypto';
import { ENV_PREFIX, envName } from '../../src-agent/cli/flags';
import { DISCOVERY_TARGETS_ENV } from '../../src-agent/discovery/targets';
import { tokenFlag } from '../../src-agent/cli/general-flags';
import type { Endpoint } from '../../proto/client';
import { certificatePinsFlag } from '../../src-agent/hub/flags';
import { LOCAL_AGENT_ENV } from '../../src-agent/hub/local-agent';
import { AGENT_NODE_FLAGS, HUB_NODE_FLAGS } from '../../src-agent/node-flags';
import type { AgentLaunch } from './agent-process';

/** 32 random bytes, base64url: a fresh admin token for each launch of the app. */
export function newLaunchToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface BundledAgentOptions {
  token: string;
  /** The agent's own data dir inside the app's userData. */
  dataDir: string;
  /** Only where the agent's stdin is a pipe held by the supervisor (the Node adapter). */
  exitOnStdinClose: boolean;
  /** Extra flags, e.g. ephemeral ports in tests. */
  extraArgs?: string[];
}

export function bundledAgentLaunch(options: BundledAgentOptions): AgentLaunch {
  return {
    args: ['--json', '--data-dir', options.dataDir, ...(options.exitOnStdinClose ? ['--exit-on-stdin-close'] : []), ...(options.extraArgs ?? [])],
    nodeFlags: AGENT_NODE_FLAGS,
    env: { [envName(tokenFlag)]: options.token },
  };
}

export interface BundledHubOptions {
  token: string;
  dataDir: string;
  /** Kept across the hub's restarts, so the window's address and its cookie stay valid. */
  port: number;
  /** The bundled agent's ready-to-connect endpoints: the hub shows them as This computer. */
  localAgent: readonly Endpoint[];
  /** `host:port` → SHA-256 fingerprint, from the settings: self-signed wss:// servers the hub may trust. */
  certificatePins: Readonly<Record<string, string>>;
}

/** The hub beside the agent: the fleet, its history and alerts, and the page the window shows. */
export function bundledHubLaunch(options: BundledHubOptions): AgentLaunch {
  return {
    args: ['hub', '--json', '--data-dir', options.dataDir, '--dashboard-port', String(options.port)],
    nodeFlags: HUB_NODE_FLAGS,
    // Credentials only in the environment: the token, and the agent's endpoints with their secrets.
    env: {
      [envName(tokenFlag)]: options.token,
      [LOCAL_AGENT_ENV]: JSON.stringify(options.localAgent),
      [envName(certificatePinsFlag)]: Object.entries(options.certificatePins)
        .map(([hostPort, fingerprint]) => `${hostPort}=${fingerprint}`)
        .join(','),
    },
  };
}

/**
 * The environment for the agent: the parent's, minus the agent flag variables a user's shell may carry
 * (the app decides how its own agent runs; a stray FLEETWATCH_HOST must not expose it on the LAN), plus
 * the launch's additions. The discovery override is kept: it keeps every scan on loopback in tests and CI.
 */
export function agentEnvironment(parent: Readonly<Record<string, string | undefined>>, additions: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(parent)) {
    if (value === undefined || (key.startsWith(ENV_PREFIX) && key !== DISCOVERY_TARGETS_ENV)) continue;
    env[key] = value;
  }
  return { ...env, ...additions };
}
