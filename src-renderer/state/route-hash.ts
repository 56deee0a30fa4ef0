// Every page and host has an address: the route as a hash (`#/host/<key>`), which works on file://, the
// web dashboard and a custom scheme alike. Back and Forward move between pages, a reload stays, a host
// can be bookmarked. Pure: reading and writing the address is route-sync.ts's job.

import type { Route } from './app-store';

const PAGES = ['overview', 'servers', 'discovery', 'alerts', 'rules'] as const;

export function routeToHash(route: Route): string {
  return route.view === 'host' ? `#/host/${encodeURIComponent(route.hostKey)}` : `#/${route.view}`;
}

/** An address that names no page (empty, mistyped, an old bookmark) is the Overview. */
export function hashToRoute(hash: string): Route {
  const [, view, ...rest] = hash.replace(/^#/, '').split('/');
  if (view === 'host' && rest.length > 0) {
    try {
      const hostKey = decodeURIComponent(rest.join('/'));
      if (hostKey) return { view: 'host', hostKey };
    } catch {
      return { view: 'overview' };
    }
  }
  return PAGES.find((page) => page === view) ? { view: view as (typeof PAGES)[number] } : { view: 'overview' };
}
