// The renderer page's Content Security Policy: scripts, styles and requests only to the app's own origin
// (the hub that served it holds every connection to a server), nothing else. The build writes it into
// index.html as a meta tag, and the hub sends the same policy as a header
// (test-support/content-security-policy.test.ts keeps them equal).

const DIRECTIVES: Record<string, readonly string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // React and chart.js style elements through the CSSOM, which style-src does not restrict.
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'manifest-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * `header` is the full policy. `meta` leaves out frame-ancestors, which browsers ignore in a meta tag.
 * `dev` is for `electron-vite dev` only: Vite's React refresh preamble is an inline script.
 */
export function rendererContentSecurityPolicy(form: 'header' | 'meta' | 'dev' = 'header'): string {
  const directives: Record<string, readonly string[]> = { ...DIRECTIVES };
  if (form === 'meta') delete directives['frame-ancestors'];
  if (form === 'dev') {
    directives['script-src'] = ["'self'", "'unsafe-inline'"];
    // Vite's hot reload talks over a socket of its own.
    directives['connect-src'] = ["'self'", 'ws:'];
  }
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
