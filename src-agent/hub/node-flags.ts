// The Node flags the hub is started with, by every launcher: the desktop app, `npm start`, `npm run hub`
// (package.json restates them; node-flags.test.ts holds it to this list), the tests and the bench. Imports
// nothing, so the start scripts that plain Node runs can read it too.
//
// V8 lets a busy process's young generation grow to 32 MB semi-spaces, about 100 MB committed. The hub's
// garbage is mostly a reading per server per second that dies within a second or two; 8 MB semi-spaces
// collect it as well and keep a hub of 1,000 servers near 230 MB of RSS instead of 290 (bench: hub-fleet).
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
