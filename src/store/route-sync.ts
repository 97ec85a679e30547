/**
 * Keeps the route and the address in step: the address sets the route at start and whenever it changes (Back,
 * Forward, a link, an edited address); a route set by the app (a header link, Remix) adds a history entry, so Back
 * returns to the view before.
 */
import type { StoreApi } from 'zustand';
import type { KinetoState } from './index';
import { formatRoute, parseRoute, sameRoute } from './route-slice';

/** Call once, from main. */
export function connectRoute(store: StoreApi<KinetoState>): void {
  const fromAddress = () => {
    const { view, query } = parseRoute(location.hash);
    store.getState().navigate(view, query);
  };
  window.addEventListener('hashchange', fromAddress);
  store.subscribe((s, prev) => {
    if (s.route === prev.route || sameRoute(s.route, parseRoute(location.hash))) return;
    const hash = formatRoute(s.route);
    history.pushState(null, '', hash === '' ? location.pathname + location.search : hash);
  });
  fromAddress();
}
