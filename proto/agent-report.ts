// What our agent says about itself: the endpoints it actually listens on, as printed by `--json`,
// served to the web dashboard and handed by the desktop app's supervisor to the UI.

import type { Endpoint } from './client';

export type EndpointKind = 'ws' | 'wss' | 'http' | 'udp';

/** One socket the agent listens on. */
export interface ListeningEndpoint {
  /** Protocol id, or `dashboard`/`metrics` for the agent's own HTTP endpoints. */
  owner: string;
  kind: EndpointKind;
  /** What it is for: "stream", "exec API", "discovery", ... */
  role: string;
  host: string;
  port: number;
  /** The URL a client connects to, where there is one (secrets are not included). */
  url?: string;
  /** For TLS endpoints: the SHA-256 fingerprint of the certificate, colon-separated hex, for pinning. */
  fingerprint256?: string;
  /** Whether it answers anyone who reaches it without a token or secret. */
  open: boolean;
  /** For a wildcard bind: the URL as each of this machine's LAN addresses reaches it. */
  reachableAt?: string[];
}

/** The line `agent --json` prints once it listens. */
export interface AgentReport {
  event: 'listening';
  pid: number;
  endpoints: ListeningEndpoint[];
  /** Ready-to-connect URLs for a client on this machine, credentials included: the report goes to the supervisor's pipe. */
  connect: Endpoint[];
  failures: string[];
  /** The web dashboard's address with its token (generated per start unless --token was given), to open in a browser. */
  openInBrowser?: string;
}
