/**
 * src/library/film-actions.ts: Remix opens a kept film's board on the Storyboard, at once over a blank board or the
 * same board, and only once confirmed over other work (which is set aside to bring back); shot clips' file names.
 */
import { describe, expect, it } from 'vitest';
import { shotFileName } from '../../../src/library/film-actions';
import { entryFromFilm } from '../../../src/library/film-record';
import { createKinetoStore } from '../../../src/store';
import { FILM_BOARD, filmOutput } from '../../fixtures/film';

const noWorker = () => {
  throw new Error('no worker in these tests');
};

/** A store whose Library lists one film, shown in the Library. */
function withFilm() {
  const store = createKinetoStore(noWorker);
  const item = { ...entryFromFilm(filmOutput(), 'f1', 5), posterUrl: null };
  store.setState((s) => ({ library: { ...s.library, items: [item] } }));
  store.getState().navigate('library');
  return store;
}

describe('Remix of a film', () => {
  it('over a blank board, opens the film\'s board on the Storyboard at once, with nothing set aside', () => {
    const store = withFilm();
    store.getState().remixFilm('f1');
    const s = store.getState();
    expect(s.route.view).toBe('storyboard');
    expect(s.storyboard.board).toEqual(FILM_BOARD);
    expect(s.storyboard.replaced).toBeNull();
    expect(s.storyboard.opened).toEqual({ from: 'the Library', problems: [] });
    expect(s.library.confirmRemix).toBeNull();
  });

  it('over other work, asks first; Keep it leaves everything as it was; confirmed, it sets the work aside to bring back', () => {
    const store = withFilm();
    store.getState().setBoardTitle('My own board');
    const mine = store.getState().storyboard.board;
    store.getState().remixFilm('f1');
    expect(store.getState().library.confirmRemix).toBe('f1');
    expect(store.getState().route.view).toBe('library');
    expect(store.getState().storyboard.board).toBe(mine);

    store.getState().cancelRemix();
    expect(store.getState().library.confirmRemix).toBeNull();
    expect(store.getState().storyboard.board).toBe(mine);

    store.getState().remixFilm('f1');
    store.getState().remixFilm('f1', true);
    const s = store.getState();
    expect(s.library.confirmRemix).toBeNull();
    expect(s.route.view).toBe('storyboard');
    expect(s.storyboard.board).toEqual(FILM_BOARD);
    expect(s.storyboard.replaced).toBe(mine);
  });

  it('over the same board, asks nothing', () => {
    const store = withFilm();
    store.getState().restoreBoard(structuredClone(FILM_BOARD));
    store.getState().remixFilm('f1');
    expect(store.getState().route.view).toBe('storyboard');
    expect(store.getState().storyboard.replaced).toBeNull();
  });

  it('does nothing for an id that is not a listed film', () => {
    const store = withFilm();
    store.getState().remixFilm('nope');
    expect(store.getState().route.view).toBe('library');
  });
});

describe('Shot clips', () => {
  it('are named after their film and shot', () => {
    expect(shotFileName('the-lighthouse.mp4', 2)).toBe('the-lighthouse-shot-2.mp4');
    expect(shotFileName('film', 1)).toBe('film-shot-1');
  });
});
