// The contract of one protocol server inside the agent. A server reads the sampler's snapshots and
// never calls a collector; it owns its sockets and closes them all in close().

import type { ListeningEndpoint } from '../../proto/agent-report';
import type { Endpoint } from '../../proto/client';
import type { ProtocolId } from '../../proto/protocols';
import type { FlagSpec } from '../cli/flags';
import type { FlagValues } from '../cli/parse';
import type { Logger } from '../log';
import type { AgentLimits } from '../net/limits';
import type { Sampler } from '../sampler/sampler';

export type { EndpointKind, ListeningEndpoint } from '../../proto/agent-report';

export interface ServerContext {
  sampler: Sampler;
  flags: FlagValues;
  /** Bind address for every listener. */
  host: string;
  /** The agent-wide limits every listener applies (createWsServer and guardServer do). */
  limits: AgentLimits;
  log: Logger;
  /** Where persistent secrets and certificates live (created 0700). */
  dataDir: string;
  /** Every endpoint of every server started so far, for servers that advertise the others (discovery). */
  endpoints(): readonly ListeningEndpoint[];
  /** Every server's ready-to-connect endpoints (with credentials), for the local dashboard. */
  connectEndpoints(): readonly Endpoint[];
  /** The one-line reasons listeners could not start (a port in use, ...), complete once allStarted resolves. */
  failures(): readonly string[];
  /** Resolves once every service has started (or failed to), so endpoints() is complete. */
  allStarted: Promise<void>;
}

export interface RunningServer {
  endpoints: ListeningEndpoint[];
  /** One line per listener that could not start; the others keep running. */
  failures: string[];
  /** Lines to print at start (a connection URL, where a secret was generated); never a secret. */
  notices?: string[];
  /**
   * The same lines for a person watching an interactive terminal, where a secret may be shown (a
   * quick-connect URL); absent means `notices`. A supervisor's piped stderr ends up in a log file.
   */
  terminalNotices?: string[];
  /**
   * Ready-to-connect endpoints for a client on this machine, with any token or secret in the URL: what
   * the desktop app and the web dashboard use for "This computer".
   */
  connect?: Endpoint[];
  close(): Promise<void>;
}

/** Something the agent runs: a protocol server, or one of the agent's own HTTP endpoints. */
export interface AgentService {
  /** Protocol id, or `dashboard`/`metrics`. Used as log tag and flag prefix. */
  id: string;
  /** Section title in --help and the README; protocol servers use the protocol's label. */
  title?: string;
  /** Every flag this service reads, for parsing, --help and the README. */
  flags: readonly FlagSpec<unknown>[];
  /** The switch that turns it off. */
  disabled: FlagSpec<boolean>;
  start(context: ServerContext): Promise<RunningServer>;
}

export interface ServerModule extends AgentService {
  id: ProtocolId;
}
