// `agent [flags]`: parses flags, starts every service, prints endpoints, and closes cleanly on SIGINT/SIGTERM.

import { agentFlags, agentServices, startAgent, type RunningAgent } from '../agent';
import { createLogger } from '../log';
import { exitOnStdinCloseFlag, jsonFlag, logLevelFlag } from './general-flags';
import { renderHelp, type HelpGroup } from './help';
import { parseFlags, UsageError } from './parse';
import type { AgentReport } from '../../proto/agent-report';
import { PROTOCOLS, type ProtocolId } from '../../proto/protocols';
import { guardProcess, serveUntilStopped } from './process-life';

export const EXIT_USAGE = 2;
export const EXIT_NOTHING_LISTENING = 1;

export function helpGroups(): HelpGroup[] {
  const groups: HelpGroup[] = [
    { id: 'general', title: 'General' },
    { id: 'limits', title: 'Limits' },
  ];
  for (const service of agentServices()) {
    const protocol = PROTOCOLS[service.id as ProtocolId] as (typeof PROTOCOLS)[ProtocolId] | undefined;
    groups.push({ id: service.id, title: protocol ? `${protocol.label} (${protocol.variant})` : (service.title ?? service.id) });
  }
  return groups;
}

export const USAGE = `Usage: agent [flags]          serve this machine over all five monitoring protocols
       agent probe <target>   detect what a server speaks and print a sample (see: agent probe --help)
       agent discover         list the hosts that answer LAN discovery (see: agent discover --help)

Every flag can also be set through the environment variable named under it.`;

/** Secrets go to a terminal a person is reading, never to the piped stderr a supervisor writes to a log file. */
export function startNotices(agent: Pick<RunningAgent, 'notices' | 'terminalNotices'>, stderrIsTerminal: boolean): string[] {
  return stderrIsTerminal ? agent.terminalNotices : agent.notices;
}

export async function runAgent(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const specs = agentFlags();
  let parsed;
  try {
    parsed = parseFlags(specs, argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`agent: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    process.stdout.write(renderHelp(USAGE, helpGroups(), specs));
    return 0;
  }
  if (parsed.positionals.length > 0) {
    process.stderr.write(`agent: unexpected argument "${parsed.positionals[0]}". Run with --help to list every flag.\n`);
    return EXIT_USAGE;
  }

  const log = createLogger(parsed.flags.get(logLevelFlag));
  guardProcess(log);

  const agent = await startAgent({ flags: parsed.flags, log });
  for (const failure of agent.failures) log.error(failure);
  for (const notice of startNotices(agent, process.stderr.isTTY === true)) log.info(notice);
  for (const line of agent.exposure) log.warn(line);
  const printReport = (): void => {
    if (!parsed.flags.get(jsonFlag)) return;
    const report: AgentReport = { event: 'listening', pid: process.pid, endpoints: agent.endpoints, connect: agent.connect, failures: agent.failures };
    process.stdout.write(JSON.stringify(report) + '\n');
  };
  if (agent.endpoints.length === 0) {
    printReport();
    log.error('nothing is listening; exiting');
    await agent.close();
    return EXIT_NOTHING_LISTENING;
  }

  return serveUntilStopped({ log, closing: 'closing every socket', close: () => agent.close(), exitOnStdinClose: parsed.flags.get(exitOnStdinCloseFlag) }, printReport);
}

