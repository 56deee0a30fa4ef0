// The renderer's Content Security Policy, sent as a response header for the app's page (and mirrored by
// the meta tag in src-renderer/index.html). Scripts only from the app itself; sockets to any host,
// because users add arbitrary servers of any of the five protocols.

const DIRECTIVES: Record<string, string[]> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // React and chart.js set styles through the CSSOM; 'unsafe-inline' covers style attributes, never scripts.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'ws:', 'wss:', 'http:', 'https:'],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/**
 * `dev` is for `electron-vite dev` only: Vite's React refresh preamble is an inline script. Production
 * builds load bundled files and get the strict policy.
 */
export function contentSecurityPolicy(mode: 'production' | 'dev' = 'production'): string {
  const directives = { ...DIRECTIVES, ...(mode === 'dev' ? { 'script-src': ["'self'", "'unsafe-inline'"] } : {}) };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
