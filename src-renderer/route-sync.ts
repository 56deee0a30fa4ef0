// Keeps the address bar and the store's route in step: a page change pushes a history entry, Back and
// Forward (and a typed or bookmarked address) navigate the store.

import type { AppStore } from './state/app-store';
import { hashToRoute, routeToHash } from './state/route-hash';

export function syncRouteWithAddress(store: Pick<AppStore, 'navigate' | 'route' | 'subscribe'>, location: Location, history: History, events: Pick<Window, 'addEventListener'>): void {
  store.navigate(hashToRoute(location.hash));
  // The address as opened becomes the route's own (an empty hash, an unknown page) without a Back step.
  if (location.hash !== routeToHash(store.route)) history.replaceState(null, '', routeToHash(store.route));
  // The route last put in the address. A push happens only when the store's route moves away from it:
  // Back changes the address before its hashchange event arrives, and a store update in between (one a
  // second with a fleet) must not see the new address as stale and push the old page back.
  let synced = routeToHash(store.route);
  events.addEventListener('hashchange', () => {
    const route = hashToRoute(location.hash);
    synced = routeToHash(route);
    if (synced !== routeToHash(store.route)) store.navigate(route);
  });
  store.subscribe(() => {
    const hash = routeToHash(store.route);
    if (hash === synced) return;
    synced = hash;
    if (hash !== location.hash) history.pushState(null, '', hash);
  });
}
