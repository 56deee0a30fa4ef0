// `npm start` without a window: the agent (this computer, no dashboard of its own) and the hub (the fleet
// and the dashboard) as two children, the hub told of the agent's endpoints through its environment. Each
// keeps a pipe from us open and exits when it closes, so neither outlives this script; Ctrl+C stops both.

import path from 'node:path';
import { AGENT_NODE_FLAGS, HUB_NODE_FLAGS } from '../../src-agent/node-flags.ts';
import { describeAgentLine } from './dashboard-report.ts';
import { startInForeground } from './run-child.ts';

/** Flags that belong to the hub, and flags both take; every other flag is the agent's. */
const HUB_ONLY = ['--servers', '--dashboard-port', '--history-retention', '--dashboard-scan-ports'];
const BOTH = ['--token', '--log-level', '--data-dir'];
const LOCAL_AGENT_ENV = 'FLEETWATCH_HUB_LOCAL_AGENT';

/** Splits `npm start -- …` arguments between the agent and the hub (`--flag value` or `--flag=value`). */
export function splitArguments(args: readonly string[]): { agent: string[]; hub: string[] } {
  const agent: string[] = [];
  const hub: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    const name = arg.split('=')[0]!;
    const takesNext = !arg.includes('=') && [...HUB_ONLY, ...BOTH].includes(name) && index + 1 < args.length;
    const words = takesNext ? [arg, args[++index]!] : [arg];
    if (HUB_ONLY.includes(name)) hub.push(...words);
    else if (BOTH.includes(name)) {
      hub.push(...words);
      agent.push(...words);
    } else agent.push(...words);
  }
  return { agent, hub };
}

export async function runAgentAndHub(root: string, args: readonly string[]): Promise<number> {
  const entry = path.join(root, 'out/agent/index.js');
  const { agent: agentArgs, hub: hubArgs } = splitArguments(args);
  let report: ((connect: string) => void) | undefined;
  const connect = new Promise<string>((resolve) => (report = resolve));
  const agent = startInForeground(process.execPath, [...AGENT_NODE_FLAGS, entry, '--json', '--exit-on-stdin-close', ...agentArgs], { cwd: root, stdin: 'pipe' }, (line) => {
    if (!line.startsWith('{')) return void process.stdout.write(`${line}\n`);
    try {
      report?.(JSON.stringify((JSON.parse(line) as { connect?: unknown }).connect ?? []));
    } catch {
      process.stdout.write(`${line}\n`);
    }
  });
  // An agent that exits before it reports (every port taken, a bad flag) still leaves the hub to start.
  const agentEnded = agent.exited.then((code) => {
    report?.('[]');
    return code;
  });
  const hub = startInForeground(process.execPath, [...HUB_NODE_FLAGS, entry, 'hub', '--json', '--exit-on-stdin-close', ...hubArgs], { cwd: root, stdin: 'pipe', env: { ...process.env, [LOCAL_AGENT_ENV]: await connect } }, (line) => process.stdout.write(`${describeAgentLine(line)}\n`));
  const [agentCode, hubCode] = await Promise.all([agentEnded, hub.exited.finally(() => agent.stop())]);
  return hubCode !== 0 ? hubCode : agentCode;
}
