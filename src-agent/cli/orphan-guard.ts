// A supervisor that dies closes the pipes it read our output from. Writing a log line then fails with
// EPIPE, and logging that failure fails again, forever, at full CPU (seen: an orphaned hub at 92 %).
// Nobody reads us any more: leave, as --exit-on-stdin-close does when the input closes.

export function exitWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
    });
  }
}
