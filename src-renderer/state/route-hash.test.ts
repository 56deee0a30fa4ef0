import { describe, expect, it } from 'vitest';
import type { Route } from './app-store';
import { hashToRoute, routeToHash } from './route-hash';

describe('routes as addresses', () => {
  it('gives every page and host an address and reads it back', () => {
    const routes: Route[] = [{ view: 'overview' }, { view: 'servers' }, { view: 'discovery' }, { view: 'alerts' }, { view: 'rules' }, { view: 'host', hostKey: 'local' }, { view: 'host', hostKey: 'srv-1/vstats:lab node #2' }];
    for (const route of routes) expect(hashToRoute(routeToHash(route))).toEqual(route);
    expect(routeToHash({ view: 'host', hostKey: 'srv-1/vstats:lab node #2' })).toBe('#/host/srv-1%2Fvstats%3Alab%20node%20%232');
  });

  it('opens the Overview for an address that names no page', () => {
    for (const hash of ['', '#', '#/', '#/nope', '#/host/', '#/host/%E0%A4%A', '#servers']) expect(hashToRoute(hash), hash).toEqual({ view: 'overview' });
  });
});
