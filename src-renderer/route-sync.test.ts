import { describe, expect, it } from 'vitest';
import { syncRouteWithAddress } from './route-sync';
import type { Route } from './state/app-store';

/** A store with only what the sync reads, and an address bar whose Back changes the hash before its event. */
function harness() {
  const listeners: (() => void)[] = [];
  const store = {
    route: { view: 'overview' } as Route,
    navigate(route: Route) {
      store.route = route;
      store.tick();
    },
    subscribe(listener: () => void) {
      listeners.push(listener);
      return () => undefined;
    },
    /** Any change of the store: a second's readings. */
    tick() {
      for (const listener of listeners) listener();
    },
  };
  const entries = ['#/overview'];
  let at = 0;
  const location = { hash: '#/overview' } as Location;
  const hashListeners: (() => void)[] = [];
  const history = {
    pushState(_state: unknown, _title: string, hash: string) {
      entries.splice(at + 1, Infinity, hash);
      at += 1;
      location.hash = hash;
    },
    replaceState(_state: unknown, _title: string, hash: string) {
      entries[at] = hash;
      location.hash = hash;
    },
  } as unknown as History;
  const events = { addEventListener: (_type: string, listener: () => void) => void hashListeners.push(listener) } as unknown as Pick<Window, 'addEventListener'>;
  syncRouteWithAddress(store, location, history, events);
  return {
    store,
    entries: () => entries.slice(0, at + 1),
    /** Back as a browser does it: the address first, the hashchange event a moment later. */
    back(beforeEvent: () => void) {
      at -= 1;
      location.hash = entries[at]!;
      beforeEvent();
      for (const listener of hashListeners) listener();
    },
  };
}

describe('the route in the address bar', () => {
  it('pushes an entry for a page opened, and Back returns even when the store changes before the hashchange event', () => {
    const { store, entries, back } = harness();
    store.navigate({ view: 'host', hostKey: 'web-1' });
    expect(entries()).toEqual(['#/overview', '#/host/web-1']);
    back(() => store.tick());
    expect(store.route).toEqual({ view: 'overview' });
    expect(entries()).toEqual(['#/overview']);
    store.tick();
    expect(entries()).toEqual(['#/overview']);
  });
});
