// The agent's entry point, plain Node: `node out/agent/index.js [flags]`, `... hub`, `... probe <target>`.
// It never imports Electron; the desktop app spawns this same file.

import { runAgent } from './cli/run-agent';

async function main(argv: string[]): Promise<number> {
  // Each command loads only its own code: the agent alone never pays for the hub's fleet engine, nor for
  // the clients `probe` and `discover` carry.
  if (argv[0] === 'probe') return (await import('./cli/probe')).runProbe(argv.slice(1));
  if (argv[0] === 'discover') return (await import('./cli/discover')).runDiscover(argv.slice(1));
  if (argv[0] === 'hub') return (await import('./hub/run-hub')).runHub(argv.slice(1), process.env);
  return runAgent(argv, process.env);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`agent: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
