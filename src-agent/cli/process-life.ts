// How a long-running command (the agent, the hub) lives and ends: errors that escape are logged, not
// fatal; SIGINT and SIGTERM (and, when asked, a closed stdin) close it cleanly once; and it leaves when
// its output pipe closes.

import type { Logger } from '../log';

/** Logs what escapes instead of dying, and exits when nobody reads the output any more. */
export function guardProcess(log: Logger): void {
  // A supervisor that dies closes the pipes it read our output from. Writing a log line then fails with
  // EPIPE, and logging that failure fails again, forever, at full CPU (seen: an orphaned hub at 92 %).
  // Nobody reads us any more: leave, as --exit-on-stdin-close does when the input closes.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
    });
  }
  process.on('uncaughtException', (error) => log.error(`uncaught: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
}

export interface ServeOptions {
  log: Logger;
  /** What is closed when it stops, for the log line: "closing every socket". */
  closing: string;
  close(): Promise<void>;
  exitOnStdinClose: boolean;
}

/**
 * Runs until SIGINT, SIGTERM or (when asked) the end of stdin, then closes once; resolves with the exit
 * code. `ready` runs last, once the handlers are in place: a supervisor may signal as soon as it has read
 * what `ready` prints.
 */
export function serveUntilStopped(options: ServeOptions, ready: () => void): Promise<number> {
  const { log } = options;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      log.info(`${why}: ${options.closing}`);
      options.close().then(
        () => resolve(0),
        (error: Error) => {
          log.error(`while closing: ${error.message}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (options.exitOnStdinClose) {
      process.stdin.once('end', () => {
        stop('stdin closed');
        // Nobody is left to send SIGKILL: a socket that will not close must not keep an orphan alive.
        setTimeout(() => process.exit(0), 5000).unref();
      });
      process.stdin.resume();
    }
    ready();
  });
}
