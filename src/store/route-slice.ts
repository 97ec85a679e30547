/**
 * The one route: which view is shown (Create, Library, Lab…) and the query part of its address, mirrored in the
 * address hash (`#/library`, `#/lab?prompt=…`) by `connectRoute` (route-sync.ts). Each view reacts to being entered
 * and left on its own (the Library lists its clips, the Lab opens a lesson link). Parsing and formatting are pure.
 */
import type { StateCreator } from 'zustand';
import type { KinetoState } from './index';

/** The app's views, in the header's order; a new view is one more name here (the compiler then asks for its page). */
export const VIEWS = ['create', 'library', 'lab', 'storyboard', 'live'] as const;
export type View = (typeof VIEWS)[number];

/** Where the app is: a view and its address's query (a lesson link's `prompt=…&seed=…`; '' for none). */
export type Route = { view: View; query: string };

/** The view of an address without a hash (or with one naming no view). */
const HOME: View = 'create';

/** Reads an address hash: `#/view` or `#view` (`#library` in older links), with an optional `?query`. */
export function parseRoute(hash: string): Route {
  const match = /^#\/?([^?]*)(?:\?(.*))?$/.exec(hash);
  const name = match?.[1] ?? '';
  if (!(VIEWS as readonly string[]).includes(name)) return { view: HOME, query: '' };
  return { view: name as View, query: match?.[2] ?? '' };
}

/** The address hash of a route: `#/view` or `#/view?query`; '' for Create without a query (the bare address). */
export function formatRoute(route: Route): string {
  if (route.view === HOME && route.query === '') return '';
  return `#/${route.view}${route.query === '' ? '' : `?${route.query}`}`;
}

export function sameRoute(a: Route, b: Route): boolean {
  return a.view === b.view && a.query === b.query;
}

export type RouteSlice = {
  route: Route;
  /** Shows `view`; `query` is the part of its address after `?` (none by default). */
  navigate(view: View, query?: string): void;
};

export const createRouteSlice: StateCreator<KinetoState, [], [], RouteSlice> = (set, get) => ({
  route: { view: HOME, query: '' },
  navigate: (view, query = '') => {
    const route = { view, query };
    if (!sameRoute(route, get().route)) set({ route });
  },
});
