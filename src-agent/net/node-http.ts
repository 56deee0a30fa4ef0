// node:http and node:https for the agent, taken from Node's CommonJS registry. An ESM import of node:http
// builds its namespace, which reads the lazy WebSocket/MessageEvent exports and so loads Node's bundled
// undici: about 11 MB of RSS on Node 24 that the agent never uses. Type-only imports stay ordinary.
// node:https (and the TLS stack under it, ~3 MB) loads only for a TLS listener (socktop --tls).

export const http = process.getBuiltinModule('node:http');
export const https = () => process.getBuiltinModule('node:https');
