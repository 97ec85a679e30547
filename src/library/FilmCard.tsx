import { useEffect, useRef } from 'react';
import { CONTAINER_NAMES } from '../engine/clip-facts';
import { formatBytes, useKineto } from '../store';
import { AiBadge } from './AiBadge';
import { CardPoster } from './CardPoster';
import { downloadStoredVideo } from './download';
import { type FilmEntry, filmSeconds, shotSpan } from './film-record';
import { formatDate, formatSeconds } from './format';

/**
 * One film in the grid: its poster, title and length, play, download, Remix (its board on the Storyboard, asking
 * first when the board there holds other work) and delete, and its shots, each to open as a clip of its own.
 */
export function FilmCard({ item, eager, onPosterLoad }: { item: FilmEntry & { posterUrl: string | null }; eager: boolean; onPosterLoad(id: string): void }) {
  const { playClip, remixFilm, removeClip, readClipVideo, openShotClip } = useKineto.getState();
  const confirming = useKineto((s) => s.library.confirmRemix === item.id);
  const remix = useRef<HTMLButtonElement>(null);
  const { facts, board } = item;
  const name = `“${board.title}”`;
  const shots = board.shots.length;
  return (
    <li className="library-card film-card" data-clip-id={item.id}>
      <CardPoster id={item.id} name={name} posterUrl={item.posterUrl} width={facts.width} height={facts.height} eager={eager} onPosterLoad={onPosterLoad} />
      <div className="library-card-body">
        <p className="library-prompt">{board.title}</p>
        <AiBadge />
        <p className="film-card-kind">
          Film · {shots} {shots === 1 ? 'shot' : 'shots'} · {formatSeconds(filmSeconds(item))}
        </p>
        <p className="hint">
          {CONTAINER_NAMES[facts.container]} · {facts.sound ? 'with sound' : 'silent'} · {facts.width}px · {formatBytes(facts.size)}
        </p>
        <p className="hint">
          <time dateTime={new Date(item.createdAt).toISOString()}>{formatDate(item.createdAt)}</time>
        </p>
        <div className="library-actions">
          <button type="button" className="secondary" onClick={() => void playClip(item.id)} aria-label={`Play ${name}`}>
            Play
          </button>
          <button type="button" className="secondary" onClick={() => void downloadStoredVideo(() => readClipVideo(item.id), facts.fileName)} aria-label={`Download ${name}`}>
            Download
          </button>
          <button type="button" className="secondary" ref={remix} onClick={() => remixFilm(item.id)} aria-label={`Remix ${name}`}>
            Remix
          </button>
          <button type="button" className="secondary danger" onClick={() => void removeClip(item.id)} aria-label={`Delete ${name}`}>
            Delete
          </button>
        </div>
        {confirming && <RemixConfirm id={item.id} back={() => remix.current?.focus()} />}
        <details className="film-shots">
          <summary>Shots</summary>
          <ol>
            {board.shots.map((shot, i) => {
              const span = shotSpan(item, i);
              return (
                <li key={i}>
                  <p className="hint">
                    {span && formatSeconds(span.end - span.start)} · {shot.prompt}
                  </p>
                  <button type="button" className="secondary" onClick={() => void openShotClip(item.id, i)}>
                    Open shot {i + 1} as a clip
                  </button>
                </li>
              );
            })}
          </ol>
        </details>
      </div>
    </li>
  );
}

/** Asks before Remix replaces a board that holds other work; the focus starts on the answer and returns to Remix. */
function RemixConfirm({ id, back }: { id: string; back(): void }) {
  const shown = useKineto((s) => s.storyboard.board.title);
  const made = useKineto((s) => s.storyboard.film.made.length);
  const { remixFilm, cancelRemix } = useKineto.getState();
  const replace = useRef<HTMLButtonElement>(null);
  useEffect(() => replace.current?.focus(), []);
  return (
    <div role="alert" className="remix-confirm">
      <p>
        The Storyboard shows “{shown}”{made > 0 && ` (${made} ${made === 1 ? 'shot' : 'shots'} made)`}. Open this film's board in its place? Bring back, on
        the Storyboard, returns “{shown}”.
      </p>
      <div className="library-actions">
        <button type="button" className="primary" ref={replace} onClick={() => remixFilm(id, true)}>
          Replace the board
        </button>
        <button type="button" className="secondary" onClick={() => (cancelRemix(), back())}>
          Keep it
        </button>
      </div>
    </div>
  );
}
