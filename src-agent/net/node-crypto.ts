// node:crypto for the agent, taken at first use: loading it starts OpenSSL, about 2.4 MB of RSS, and an
// agent started with its secrets already in the data dir needs none of it until a client presents a
// token or connects (ws loads it then). Type-only imports stay ordinary.

export const crypto = () => process.getBuiltinModule('node:crypto');
