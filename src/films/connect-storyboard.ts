/**
 * The Storyboard's ties to the page: the board kept in localStorage is restored at start and saved after each edit
 * (a moment after typing stops, and at once when the page is hidden), and a `#/storyboard?board=…` address opens its
 * board; the address then drops the board, so that a reload keeps the edits made since. Once the model is loaded (the
 * shots' keys depend on its frame rate), the shots kept in the browser from before show as made, for Resume film.
 */
import type { StoreApi } from 'zustand';
import { formatRoute, type KinetoState } from '../store';
import { loadBoard, saveBoard } from './board-storage';

/** Milliseconds after the last edit before the board is saved. */
const SAVE_DELAY_MS = 400;

export function connectStoryboard(store: StoreApi<KinetoState>): void {
  const kept = loadBoard(localStorage);
  if (kept && 'problem' in kept) store.getState().reportStorageProblem(`The board kept in this browser could not be read (${kept.problem}), so a new one was started.`);
  else if (kept) store.getState().restoreBoard(kept);

  let timer: ReturnType<typeof setTimeout> | null = null;
  const save = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    store.getState().reportStorageProblem(saveBoard(localStorage, store.getState().storyboard.board));
  };
  addEventListener('pagehide', () => timer !== null && save());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && timer !== null && save());

  const openLink = async (s: KinetoState) => {
    if (!(await s.openBoardLink(s.route.query))) return;
    const bare = { view: 'storyboard', query: '' } as const;
    // Replaced, not pushed: Back should not open the link again over the edits made since.
    history.replaceState(null, '', formatRoute(bare));
    store.getState().navigate(bare.view, bare.query);
  };
  store.subscribe((s, prev) => {
    if (s.storyboard.board !== prev.storyboard.board) {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(save, SAVE_DELAY_MS);
    }
    if (s.model.status === 'ready' && prev.model.status !== 'ready') void s.restoreMadeShots();
    if (s.route !== prev.route && s.route.view === 'storyboard' && s.route.query !== '') void openLink(s);
  });
  const s = store.getState();
  if (s.route.view === 'storyboard' && s.route.query !== '') void openLink(s);
}
