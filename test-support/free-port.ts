// A loopback port nothing listens on right now, for a server a test starts later on a known port. The port
// is free when this resolves; a test that waits long before using it may in rare cases find it taken.

export { freeLoopbackPort as freePort } from '../src-agent/net/free-port.ts';
