// The URL a local client should use for a listener: wildcard binds are reached through loopback.

export function connectHost(bindHost: string): string {
  if (bindHost === '0.0.0.0' || bindHost === '') return '127.0.0.1';
  if (bindHost === '::') return '[::1]';
  return bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost;
}

export function endpointUrl(scheme: 'ws' | 'wss' | 'http' | 'https', bindHost: string, port: number, path = '/'): string {
  return `${scheme}://${connectHost(bindHost)}:${port}${path}`;
}
