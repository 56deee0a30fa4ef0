// The Node flags the agent and the hub are started with, by every launcher: the desktop app, `npm start`,
// `npm run agent` and `npm run hub` (package.json restates them; node-flags.test.ts holds it to these
// lists), the tests and the bench. Imports nothing, so the start scripts that plain Node runs can read it too.
//
// V8 lets a busy process's young generation grow to 32 MB semi-spaces, about 100 MB committed. The hub's
// garbage is mostly a reading per server per second that dies within a second or two; 8 MB semi-spaces
// collect it as well and keep a hub of 1,000 servers near 230 MB of RSS instead of 290 (bench: hub-fleet).
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

// The agent's work is small and steady: a reading a second, framed once, written to each client. What it
// costs is mostly memory, so it trades V8's optimizing compilers for that (bench: idle, fanout):
// - 1 MB semi-spaces: it makes a few kilobytes of garbage a second, and the 16 MB ones V8 grows to while
//   modules load stay committed for nothing;
// - no Maglev or TurboFan (--no-maglev, --no-opt): once 1,000 clients made its send loop hot, their code,
//   feedback and compiler memory grew its RSS from 72 to 92 MB, for no CPU we could measure (the fan-out
//   figure moves more between runs than between the two);
// - --optimize-for-size: V8's heap heuristics for small memory, about 2 MB less at idle;
// - Sparkplug on the main thread (--no-concurrent-sparkplug): with the flags above, a background Sparkplug
//   job that needs a GC to place its code waits for the main thread, and when the main thread is in
//   process.exit, joining that worker, the agent never exits (seen in one SIGTERM of five in
//   vstats-process.test.ts, stacks taken with gdb; Node's open issue 54918 is the same kind of exit deadlock).
//   Sparkplug's baseline code is quick to compile, and the agent compiles little after its first minute.
export const AGENT_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--no-opt', '--no-maglev', '--optimize-for-size', '--no-concurrent-sparkplug'];
