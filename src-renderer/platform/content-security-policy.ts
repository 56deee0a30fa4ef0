// The renderer page's Content Security Policy: scripts and styles only from the app itself, sockets to any
// host (users add arbitrary servers of any of the five protocols), nothing else. The Electron main process
// sends it as a header, the build writes it into index.html as a meta tag, and the agent's web dashboard
// sends the same policy (test-support/content-security-policy.test.ts keeps them equal).

const DIRECTIVES: Record<string, readonly string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // React and chart.js style elements through the CSSOM, which style-src does not restrict.
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'", 'ws:', 'wss:'],
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
  if (form === 'dev') directives['script-src'] = ["'self'", "'unsafe-inline'"];
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
