// Network failures in words a person reads: Node's socket error texts (`getaddrinfo ENOTFOUND x`) and
// WebSocket close codes (1006), which mean nothing to someone watching a dashboard. Pure.

const ERROR_WORDS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/getaddrinfo (?:ENOTFOUND|EAI_NONAME) (\S+)/, (match) => `no such host: the name "${match[1]}" does not resolve`],
  [/getaddrinfo EAI_AGAIN (\S+)/, (match) => `the name "${match[1]}" could not be looked up (no answer from DNS)`],
  [/connect ECONNREFUSED (\S+)/, (match) => `nothing is listening at ${match[1]} (connection refused)`],
  [/connect (?:ETIMEDOUT|EHOSTUNREACH|ENETUNREACH) (\S+)/, (match) => `${match[1]} cannot be reached (no route, or a firewall drops the connection)`],
  [/ECONNRESET/, () => 'the connection was reset by the other side'],
];

export function networkErrorWords(text: string): string {
  for (const [pattern, words] of ERROR_WORDS) {
    const match = pattern.exec(text);
    if (match) return words(match);
  }
  return text;
}

const CLOSE_WORDS: Record<number, string> = {
  1000: 'closed normally',
  1001: 'the server went away',
  1002: 'the server saw a protocol error',
  1003: 'the server refused the kind of data sent',
  // What a browser reports for every failure it will not explain: refused, unresolvable, dropped.
  1006: 'the connection failed or dropped without a word from the server',
  1007: 'the server could not decode a message',
  1008: "refused by the server's policy",
  1009: 'a message was too big for the server',
  1011: 'the server hit an internal error',
  1012: 'the server is restarting',
  1013: 'the server is overloaded; it asks to try again later',
  1015: 'the TLS handshake failed',
};

export function closeCodeWords(code: number): string {
  return CLOSE_WORDS[code] ?? `closed by the server (code ${code})`;
}
