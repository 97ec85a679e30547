/**
 * What the Library does with a kept film beyond what it does with a clip (play, download, delete): Remix opens its
 * board on the Storyboard, asking first when that would set aside work on the board shown there; a shot opens as a
 * clip of its own, cut from the film's video.
 */
import { CONTAINER_NAMES } from '../engine/clip-facts';
import { replacesWork } from '../films/storyboard-slice';
import type { KinetoState } from '../store';
import type { FilmEntry } from './film-record';
import { shotSpan } from './film-record';
import { isFilmEntry } from './library-entry';
import type { LibraryState } from './library-slice';
import { errorText } from './storage';

/** A shot being cut from its film to play as a clip, or why it could not be. */
export type ShotClipState = { status: 'cutting'; label: string } | { status: 'failed'; message: string } | null;

export type FilmActions = {
  /**
   * Opens a kept film's board on the Storyboard (`#/storyboard`). When the board shown there holds other work (edits,
   * made shots), it waits for `confirmed` (`library.confirmRemix` names the film meanwhile); that board is set aside to
   * bring back either way, as when a board file is opened.
   */
  remixFilm(id: string, confirmed?: boolean): void;
  cancelRemix(): void;
  /** Plays shot `index` (from 0) of a kept film alone, as a clip file of its own. */
  openShotClip(id: string, index: number): Promise<void>;
};

/** `the-lighthouse-shot-2.mp4` for shot 2 of `the-lighthouse.mp4`. */
export function shotFileName(filmFileName: string, shot: number): string {
  const dot = filmFileName.lastIndexOf('.');
  return dot > 0 ? `${filmFileName.slice(0, dot)}-shot-${shot}${filmFileName.slice(dot)}` : `${filmFileName}-shot-${shot}`;
}

export function createFilmActions(get: () => KinetoState, patch: (p: Partial<LibraryState>) => void): FilmActions {
  const film = (id: string): FilmEntry | null => {
    const entry = get().library.items.find((i) => i.id === id);
    return entry && isFilmEntry(entry) ? entry : null;
  };
  return {
    remixFilm: (id, confirmed = false) => {
      const entry = film(id);
      if (!entry) return;
      if (!confirmed && replacesWork(get().storyboard.board, entry.board)) {
        patch({ confirmRemix: id });
        return;
      }
      patch({ confirmRemix: null });
      get().openBoard(entry.board, 'the Library');
      get().navigate('storyboard');
    },

    cancelRemix: () => patch({ confirmRemix: null }),

    openShotClip: async (id, index) => {
      const entry = film(id);
      const span = entry && shotSpan(entry, index);
      if (!entry || !span) return;
      const title = `Shot ${index + 1} of “${entry.board.title}”`;
      patch({ shotClip: { status: 'cutting', label: title } });
      const video = await get().readClipVideo(id);
      if (!video) {
        patch({ shotClip: { status: 'failed', message: `The video of ${entry.facts.fileName} is missing from the Library.` } });
        return;
      }
      // Cut from the film's own video rather than kept as a clip when the film was made: nothing is stored twice, and
      // the shot is what the film shows (its captions drawn in, and the crossfade into the next shot at its end).
      let clip: Blob;
      try {
        const { cutVideo } = await import('../video/cut');
        clip = await cutVideo(video, entry.facts.container, span.start, span.end, entry.timeline.fps);
      } catch (e) {
        patch({ shotClip: { status: 'failed', message: `${title} could not be made into a clip (${errorText(e)}).` } });
        return;
      }
      const previous = get().library.player;
      const { container } = entry.facts;
      patch({
        player: { id, url: URL.createObjectURL(clip), fileName: shotFileName(entry.facts.fileName, index + 1), label: CONTAINER_NAMES[container], title, tags: null },
        shotClip: null,
      });
      if (previous) URL.revokeObjectURL(previous.url);
    },
  };
}
