// The Node flags the agent and the hub are started with, by every launcher: the desktop app, `npm start`,
// `npm run agent` and `npm run hub` (package.json restates them; node-flags.test.ts holds it to these
// lists), the tests and the bench. Imports nothing, so the start scripts that plain Node runs can read it too.
//
// V8 lets a busy process's young generation grow to 32 MB semi-spaces, about 100 MB committed. The hub's
// garbage is mostly a reading per server per second that dies within a second or two; 8 MB semi-spaces
// collect it as well and keep a hub of 1,000 servers near 230 MB of RSS instead of 290 (bench: hub-fleet).
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

// The agent's work is small and steady: a reading a second, framed once, written to each client. What it
// costs is mostly memory, so it trades V8's compilers for that (bench: idle, fanout):
// - 1 MB semi-spaces: it makes a few kilobytes of garbage a second, and the 16 MB ones V8 grows to while
//   modules load stay committed for nothing;
// - no TurboFan (--no-opt), and Maglev only for code run 5,000 times (12.5 times V8's default): the send
//   loop at 1,000 clients gets there within seconds, start-up code never does. With 1,000 ServerControl
//   clients that saves 0.15 % of a core of user time (0.43 against 0.58, five runs each) for 3 MB of RSS
//   (72.5 against 69.5). Maglev at its defaults, on its own threads, saved 0.2 % for 25 MB (95 MB);
// - everything on the main thread (--single-threaded): no compiler or GC worker threads (with Maglev on,
//   95 MB of RSS with them and 73.5 without; MALLOC_ARENA_MAX=1 did not reclaim it), and no background
//   Sparkplug job (it implies --no-concurrent-sparkplug).
//   That job, when it needed a GC to place its code while the main thread was in process.exit joining
//   it, kept the agent from ever exiting (one SIGTERM of five in vstats-process.test.ts, stacks taken
//   with gdb; Node's open issue 54918 is the same kind of exit deadlock);
// - --optimize-for-size: V8's heap heuristics for small memory, about 2 MB less at idle.
export const AGENT_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=1',
  '--no-opt',
  '--invocation-count-for-maglev=5000',
  '--invocation-count-for-maglev-osr=2000',
  '--single-threaded',
  '--optimize-for-size',
];
