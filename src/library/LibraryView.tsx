import { useEffect, useId, useRef } from 'react';
import { AiBadge } from './AiBadge';
import { FileTagsView } from './FileTagsView';
import { formatBytes } from '../store';
import { LibraryCard } from './LibraryCard';
import { useLibrary } from './library-store';
import './library.css';

/** Posters counted for the "first thumbnails" mark: about one screenful. */
const FIRST_SCREEN = 12;

/** Every kept clip, newest first, with the storage it takes; play, download, remix, share, delete. */
export function LibraryView() {
  const id = useId();
  const { status, unavailable, items, damaged, storage, player, confirmDeleteAll } = useLibrary();
  const { closePlayer, askDeleteAll, removeAll, readTags } = useLibrary.getState();
  const loadedPosters = useRef(0);
  const marked = useRef(false);

  useEffect(() => {
    loadedPosters.current = 0;
    marked.current = false;
  }, [items]);

  const onPosterLoad = () => {
    loadedPosters.current++;
    const target = Math.min(FIRST_SCREEN, items.filter((i) => i.posterUrl).length);
    if (!marked.current && loadedPosters.current >= target) {
      marked.current = true;
      performance.mark('library-first-thumbnails');
    }
  };

  return (
    <section className="panel library" aria-labelledby={`${id}-title`}>
      <h2 className="panel-title" id={`${id}-title`}>
        Library
      </h2>
      <p className="hint">Every clip you make is kept here, in this browser only. Nothing is uploaded.</p>
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
      {player && (
        <div className="library-player">
          <video key={player.url} src={player.url} controls autoPlay loop muted playsInline aria-label="Library video" />
          <div className="library-actions">
            <AiBadge />
            <a className="button primary" href={player.url} download={player.fileName}>
              Download {player.label}
            </a>
            <button type="button" className="secondary" onClick={() => void readTags()}>
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
            {items.length} {items.length === 1 ? 'clip' : 'clips'}
          </p>
          {confirmDeleteAll ? (
            <>
              <button type="button" className="primary danger" onClick={() => void removeAll()}>
                Delete all {items.length} clips
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
      <ul className="library-grid" aria-label="Saved clips">
        {items.map((item) => (
          <LibraryCard key={item.id} item={item} onPosterLoad={onPosterLoad} />
        ))}
      </ul>
    </section>
  );
}
