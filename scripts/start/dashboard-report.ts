// Turns the --json start report of the agent or the hub into the one line `npm start` prints: where to open
// the dashboard.

interface Endpoint {
  owner: string;
  role: string;
  kind: string;
  host: string;
  port: number;
  url?: string;
}

/** What to print for a line of the agent's stdout: its JSON report becomes the address to open. */
export function describeAgentLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let report: { endpoints?: Endpoint[]; openInBrowser?: string };
  try {
    report = JSON.parse(line) as { endpoints?: Endpoint[]; openInBrowser?: string };
  } catch {
    return line;
  }
  const dashboard = report.endpoints?.find((endpoint) => endpoint.role === 'dashboard');
  if (dashboard?.url) return `\nOpen ${report.openInBrowser ?? dashboard.url} in a browser for the FleetWatch dashboard. Ctrl+C stops it.\n`;
  const listening = (report.endpoints ?? []).map((endpoint) => `  ${endpoint.owner} ${endpoint.role}: ${endpoint.url ?? `${endpoint.kind} ${endpoint.host}:${endpoint.port}`}`);
  return `\nThe agent serves no web dashboard, so there is nothing to open in a browser. It serves:\n${listening.join('\n')}\nCtrl+C stops it.\n`;
}
