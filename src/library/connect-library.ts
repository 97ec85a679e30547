/**
 * Wires the Library to the app: keeps every new result and every film made, lists the clips whenever the route enters the Library, fills
 * the form from a share link once the model's defaults are in, and follows the Library's writes in other tabs.
 */
import type { StoreApi } from 'zustand';
import type { KinetoState } from '../store';
import { fillDraft } from './fill-draft';
import { draftFromShareUrl, withoutShareQuery } from './share-link';

/** Call once, from main. */
export function connectLibrary(store: StoreApi<KinetoState>): void {
  store.subscribe((s, prev) => {
    if (s.result && s.result !== prev.result) s.keepResult(s.result);
    const film = s.storyboard.film.output;
    if (film && film !== prev.storyboard.film.output) s.keepFilm(film);
    if (s.route.view === 'library' && prev.route.view !== 'library') s.openLibrary();
  });
  if (store.getState().route.view === 'library') store.getState().openLibrary();

  const shared = draftFromShareUrl(location.href);
  if (shared) {
    history.replaceState(null, '', withoutShareQuery(location.href));
    fillDraft(store, shared);
  }

  store.getState().followOtherTabs();
}
