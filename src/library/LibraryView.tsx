import { useEffect, useId, useRef } from 'react';
import { AiBadge } from './AiBadge';
import { FileTagsView } from './FileTagsView';
import { formatBytes, useKineto } from '../store';
import { FilmCard } from './FilmCard';
import { LibraryCard } from './LibraryCard';
import { isFilmEntry } from './library-entry';
import './library.css';
import { markForBench } from '../automation';

/** Posters counted for the "first thumbnails" mark, and loaded at once rather than lazily: about one screenful. */
export const FIRST_SCREEN = 12;

/** Every kept clip and film, newest first, with the storage it takes; play, download, remix, share, delete. */
export function LibraryView() {
  const id = useId();
  const status = useKineto((s) => s.library.status);
  const unavailable = useKineto((s) => s.library.unavailable);
  const items = useKineto((s) => s.library.items);
  const total = useKineto((s) => s.library.total);
  const more = useKineto((s) => s.library.more);
  const damaged = useKineto((s) => s.library.damaged);
  const storage = useKineto((s) => s.library.storage);
  const player = useKineto((s) => s.library.player);
  const shotClip = useKineto((s) => s.library.shotClip);
  const confirmDeleteAll = useKineto((s) => s.library.confirmDeleteAll);
  const opened = useKineto((s) => s.library.opened);
  const { closePlayer, askDeleteAll, removeAllClips, readPlayerTags, listOlderClips } = useKineto.getState();
  // Posters of the first screen shown since this opening of the Library; all in → the `library-first-thumbnails` mark.
  const shown = useRef({ opened: -1, ids: new Set<string>(), marked: false });
  const moreButton = useRef<HTMLButtonElement>(null);
  // The count names films only once one is listed: counting them in the whole Library would read every entry.
  const films = items.some(isFilmEntry);
  const kinds = films ? 'clips and films' : 'clips';

  const onPosterLoad = (id: string) => {
    if (shown.current.opened !== opened) shown.current = { opened, ids: new Set(), marked: false };
    const firstScreen = items.slice(0, FIRST_SCREEN).filter((i) => i.posterUrl);
    if (shown.current.marked || !firstScreen.some((i) => i.id === id)) return;
    shown.current.ids.add(id);
    if (firstScreen.every((i) => shown.current.ids.has(i.id))) {
      shown.current.marked = true;
      markForBench('library-first-thumbnails');
    }
  };

  // The next page is listed when the end of the grid scrolls into view (or its button is pressed).
  useEffect(() => {
    const button = moreButton.current;
    if (!more || !button || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (seen) => {
        if (seen.some((e) => e.isIntersecting)) void listOlderClips();
      },
      { rootMargin: '400px' },
    );
    observer.observe(button);
    return () => observer.disconnect();
  }, [more, items.length, listOlderClips]);

  return (
    <section className="panel library" aria-labelledby={`${id}-title`}>
      <h2 className="panel-title" id={`${id}-title`}>
        Library
      </h2>
      <p className="hint">Every clip and film you make is kept here, in this browser only. Nothing is uploaded.</p>
      {storage && (
        <p className="hint" data-testid="library-storage">
          Storage: {storage.usedBytes !== null ? formatBytes(storage.usedBytes) : 'unknown'} used
          {storage.quotaBytes !== null && ` of ${formatBytes(storage.quotaBytes)} this browser allows`}.
        </p>
      )}
      {storage?.persisted === false && (
        <p className="hint hint-warn" data-testid="library-not-persistent">
          This browser has not promised to keep Kineto's storage: it may delete clips when space runs low, and a private
          window deletes them when it closes. Download the clips you want to keep.
        </p>
      )}
      {unavailable && <p role="alert" className="hint hint-warn">{unavailable}</p>}
      {damaged.length > 0 && (
        <div role="alert" className="hint hint-warn" data-testid="library-damaged">
          <p>
            {damaged.length === 1 ? 'One damaged entry was skipped' : `${damaged.length} damaged entries were skipped`}; the rest are
            below:
          </p>
          <ul>
            {damaged.map((d) => (
              <li key={d.key}>
                {d.label} ({d.problem})
              </li>
            ))}
          </ul>
        </div>
      )}
      <div aria-live="polite">
        {shotClip?.status === 'cutting' && <p className="hint">Making {shotClip.label} into a clip…</p>}
      </div>
      {shotClip?.status === 'failed' && <p role="alert" className="hint hint-warn">{shotClip.message}</p>}
      {player && (
        <div className="library-player">
          {player.title && <p className="library-player-title">{player.title}</p>}
          <video key={player.url} src={player.url} controls autoPlay loop playsInline aria-label="Library video" />
          <div className="library-actions">
            <AiBadge />
            <a className="button primary" href={player.url} download={player.fileName}>
              Download {player.label}
            </a>
            <button type="button" className="secondary" onClick={() => void readPlayerTags()}>
              Read file metadata
            </button>
            <button type="button" className="secondary" onClick={closePlayer}>
              Close player
            </button>
          </div>
          <FileTagsView tags={player.tags} />
        </div>
      )}
      {status === 'loading' && <p className="hint">Reading your Library…</p>}
      {status === 'ready' && items.length === 0 && damaged.length === 0 && (
        <p className="hint">No clips yet. Generate one and it will appear here.</p>
      )}
      {items.length > 0 && (
        <div className="library-toolbar">
          <p>
            {total} {total === 1 ? (films ? 'film' : 'clip') : kinds}
          </p>
          {confirmDeleteAll ? (
            <>
              <button type="button" className="primary danger" onClick={() => void removeAllClips()}>
                Delete all {total} {kinds}
              </button>
              <button type="button" className="secondary" onClick={() => askDeleteAll(false)}>
                Keep them
              </button>
            </>
          ) : (
            <button type="button" className="secondary danger" onClick={() => askDeleteAll(true)}>
              Delete all
            </button>
          )}
        </div>
      )}
      <ul className="library-grid" aria-label={films ? 'Saved clips and films' : 'Saved clips'}>
        {items.map((item, i) =>
          isFilmEntry(item) ? (
            <FilmCard key={item.id} item={item} eager={i < FIRST_SCREEN} onPosterLoad={onPosterLoad} />
          ) : (
            <LibraryCard key={item.id} item={item} eager={i < FIRST_SCREEN} onPosterLoad={onPosterLoad} />
          ),
        )}
      </ul>
      {more && (
        <button type="button" className="secondary library-more" ref={moreButton} onClick={() => void listOlderClips()}>
          Show older clips ({total - items.length} more)
        </button>
      )}
    </section>
  );
}
