import { useId, useState } from 'react';
import { SaveStatus } from '../../library/SaveStatus';
import { useKineto } from '../../store';
import { ProgressBar } from '../../ui/ProgressBar';
import type { FilmOutput } from '../film-output';
import { problemText } from '../parse-board';
import type { SheetState } from '../storyboard-slice';
import { frameAt, frameAtSeconds, secondsAtFrame, type Timeline } from '../timeline';
import { clock } from './ShotCard';

/** "Shot 2, Prompt: type what the shot shows" for `shots[1].prompt: type what the shot shows`. */
function problemLabel(path: string, message: string): string {
  const names: Record<string, string> = { prompt: 'Prompt', 'start.image': 'Picture', 'transition.crossfade': 'Crossfade frames' };
  const m = /^shots\[(\d+)\]\.(.+)$/.exec(path);
  return m ? `Shot ${Number(m[1]) + 1}, ${names[m[2]!] ?? m[2]}: ${message}` : problemText({ path, message });
}

/** The film as the board makes it: its length, where the playhead is, and Generate film with its progress. */
export function FilmPanel({ timeline, madeCount }: { timeline: Timeline | null; madeCount: number }) {
  const id = useId();
  const board = useKineto((s) => s.storyboard.board);
  const film = useKineto((s) => s.storyboard.film);
  const sheet = useKineto((s) => s.storyboard.sheet);
  const { generateFilm, stopFilm, exportSheet } = useKineto.getState();
  const [seconds, setSeconds] = useState(0);
  const making = film.status === 'making' || film.status === 'encoding';
  const count = board.shots.length;

  const f = timeline ? frameAtSeconds(timeline, seconds) : 0;
  const at = timeline ? frameAt(timeline, f) : null;
  const span = at && timeline ? timeline.shots[at.shot]! : null;
  const position = at && span && timeline
    ? `${clock(secondsAtFrame(timeline, f))} · shot ${at.shot + 1}, frame ${at.frame - span.leadIn + 1} of ${span.frames}${at.incoming ? `, crossfading into shot ${at.incoming.shot + 1}` : ''}`
    : '';
  const caption = at ? board.shots[at.shot]?.caption : undefined;
  const current = film.current;

  return (
    <section className="panel film" aria-labelledby={`${id}-title`}>
      <h2 className="panel-title" id={`${id}-title`}>Film</h2>
      {timeline ? (
        <>
          <p data-testid="film-length">
            {count} {count === 1 ? 'shot' : 'shots'} · {clock(timeline.frames / timeline.fps)} · {timeline.frames} frames at {timeline.fps} fps
          </p>
          <div className="film-strip" aria-hidden="true">
            {timeline.shots.map((s, i) => (
              <div key={i} className="film-strip-shot" style={{ flexGrow: s.frames }}>
                {s.leadIn > 0 && <span className="film-strip-fade" style={{ width: `${(100 * s.leadIn) / s.frames}%` }} />}
                {i + 1}
              </div>
            ))}
            <span className="film-strip-playhead" style={{ left: `${(100 * (f + 0.5)) / timeline.frames}%` }} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-playhead`}>Playhead</label>
            <input
              id={`${id}-playhead`}
              type="range"
              min={0}
              max={Math.max(0, (timeline.frames - 1) / timeline.fps)}
              step={1 / timeline.fps}
              value={secondsAtFrame(timeline, f)}
              aria-valuetext={position}
              onChange={(e) => setSeconds(Number(e.target.value))}
            />
            <span className="hint film-position">{position}</span>
            {caption && (
              <span className="film-caption">
                <span className="visually-hidden">Caption: </span>
                {caption}
              </span>
            )}
          </div>
        </>
      ) : (
        <p className="hint">A film is made at the model's frame rate: its length in frames shows here once the model has loaded.</p>
      )}
      <div className="actions">
        {making ? (
          <button type="button" className="primary danger" onClick={stopFilm}>Stop</button>
        ) : (
          <button type="button" className="primary" onClick={() => void generateFilm()}>{film.resumable ? 'Resume film' : 'Generate film'}</button>
        )}
        {!making && timeline && madeCount === count && (
          <button type="button" onClick={() => void exportSheet()} aria-disabled={sheet.status === 'making'}>Export sheet</button>
        )}
        {!making && timeline && <span className="hint">{madeCount === count ? `All ${count} shots are made.` : `${madeCount} of ${count} shots made.`}</span>}
      </div>
      <SheetLinks sheet={sheet} />
      {making && current && (
        <>
          <p className="progress-line">
            Making shot {current.index + 1} ({current.done + 1} of {current.total} to make)… {Math.round(current.fraction * 100)}%
          </p>
          <ProgressBar label="Film progress" percent={(100 * (current.done + current.fraction)) / current.total} valueText={`shot ${current.done + 1} of ${current.total}`} />
        </>
      )}
      {film.status === 'encoding' && <p className="progress-line" role="status">Every shot is made: encoding the film with its sound…</p>}
      {film.output && <FilmVideo output={film.output} />}
      {film.status === 'stopped' && film.message && <p role="status">{film.message}</p>}
      {film.status === 'failed' && (film.message || film.problems.length > 0) && (
        <div role="alert" className="film-problems">
          {film.message && <p>{film.message}</p>}
          {film.problems.length > 0 && (
            <>
              <p>Before the film can be made:</p>
              <ul>
                {film.problems.map((p) => <li key={p.path}>{problemLabel(p.path, p.message)}</li>)}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}

/** The last film made: playable, with its captions as a track, and both files to download. */
function FilmVideo({ output }: { output: FilmOutput }) {
  return (
    <div className="film-output">
      <video className="film-video" controls src={output.url} data-testid="film-video">
        <track kind="captions" src={output.vttUrl} srcLang="en" label="Captions" />
      </video>
      <p className="actions">
        <a className="button" href={output.url} download={output.fileName}>Download film</a>
        <a className="button" href={output.vttUrl} download={output.vttFileName}>Download captions (WebVTT)</a>
      </p>
      {!output.audio && <p className="hint">This browser could not encode sound, so the film is silent.</p>}
      <SaveStatus of="film" />
    </div>
  );
}

/** The storyboard sheet once exported: its PNG and PDF to download, or why it could not be made. */
function SheetLinks({ sheet }: { sheet: SheetState }) {
  if (sheet.status === 'making') return <p className="progress-line" role="status">Making the storyboard sheet…</p>;
  if (sheet.status === 'failed') return <p role="alert">{sheet.message}</p>;
  if (sheet.status !== 'made' || !sheet.files) return null;
  return (
    <p className="actions" role="status">
      <a className="button" href={sheet.files.pngUrl} download={sheet.files.pngFileName}>Download sheet (PNG)</a>
      <a className="button" href={sheet.files.pdfUrl} download={sheet.files.pdfFileName}>Download sheet (PDF)</a>
    </p>
  );
}
