// Runs the agent in an Electron utility process: Node inside the app's own binary, so packaged apps need
// no separate Node. Chromium ends utility processes with the app, so no stdin pipe is needed for that.

import { existsSync } from 'node:fs';
import { utilityProcess } from 'electron';
import { agentEnvironment } from './agent-launch';
import { LineSplitter, type SpawnAgent } from './agent-process';

export function utilityProcessSpawner(agentPath: string): SpawnAgent {
  return (launch, events) => {
    if (!existsSync(agentPath)) throw new Error(`the bundled agent is missing at ${agentPath} (run npm run build)`);
    const child = utilityProcess.fork(agentPath, launch.args, {
      env: agentEnvironment(process.env, launch.env),
      execArgv: [...(launch.nodeFlags ?? [])],
      stdio: 'pipe',
      serviceName: 'FleetWatch agent',
    });
    const stdout = new LineSplitter(events.stdoutLine);
    const stderr = new LineSplitter(events.stderrLine);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      stdout.end();
      stderr.end();
      // utilityProcess reports only a code; a signal shows as the conventional 128 + n on POSIX.
      events.exit({ code, signal: null });
    });
    return {
      get pid() {
        return child.pid;
      },
      kill: (signal) => {
        if (exited) return;
        // utilityProcess.kill() sends SIGTERM only; SIGKILL goes to the pid directly.
        if (signal === 'SIGTERM' || child.pid === undefined) child.kill();
        else process.kill(child.pid, 'SIGKILL');
      },
    };
  };
}
