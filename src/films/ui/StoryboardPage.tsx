import { useEffect, useId, useMemo, useRef } from 'react';
import { useKineto } from '../../store';
import { BOARD_LIMITS } from '../board';
import { planFilm } from '../film-plan';
import { seedProblem } from '../parse-board';
import { filmFps } from '../storyboard-slice';
import { buildTimeline } from '../timeline';
import { BoardFilePanel } from './BoardFilePanel';
import { FilmPanel } from './FilmPanel';
import { OpenedNotice } from './OpenedNotice';
import { NumberField } from './NumberField';
import { ShotCard, type ShotStatus } from './ShotCard';
import './storyboard.css';

const DRAG_TYPE = 'application/x-kineto-shot';

/** Writing a film shot by shot: the board on the left, the film and the board's link and file on the right. */
export function StoryboardPage() {
  const id = useId();
  const board = useKineto((s) => s.storyboard.board);
  const announcement = useKineto((s) => s.storyboard.announcement);
  // The film's state but not its progress: the board re-renders when a shot starts or is made, not at every step.
  const filmStatus = useKineto((s) => s.storyboard.film.status);
  const madeKeys = useKineto((s) => s.storyboard.film.made);
  const problems = useKineto((s) => s.storyboard.film.problems);
  const makingIndex = useKineto((s) => s.storyboard.film.current?.index ?? null);
  const fps = useKineto(filmFps);
  const { setBoardTitle, setBoardSeed, setBurnCaptions, addShot, moveShot } = useKineto.getState();
  const list = useRef<HTMLOListElement>(null);
  const focusNext = useRef<{ index: number; control: string } | null>(null);

  const timeline = useMemo(() => (fps === null ? null : buildTimeline(board, fps)), [board, fps]);
  const plan = useMemo(() => (fps === null ? null : planFilm(board, fps)), [board, fps]);
  const made = new Set(madeKeys);
  const status = (i: number): ShotStatus | null => {
    const key = plan?.[i]?.key;
    // Before anything is made, "Not made yet" on every shot would only be noise.
    if (!key || (madeKeys.length === 0 && filmStatus !== 'making')) return null;
    if (filmStatus === 'making' && makingIndex === i) return { state: 'making' };
    return made.has(key) ? { state: 'made' } : { state: 'to make' };
  };
  const issuesOf = (i: number) => Object.fromEntries(problems.filter((p) => p.path.startsWith(`shots[${i}].`)).map((p) => [p.path.slice(`shots[${i}].`.length), p.message]));

  // Focus follows a moved, added, duplicated or deleted shot once it is drawn in its new place.
  useEffect(() => {
    const want = focusNext.current;
    if (!want || !list.current) return;
    focusNext.current = null;
    const shot = list.current.querySelector(`[data-shot="${want.index}"]`);
    const el = shot?.querySelector<HTMLElement>(`[data-control="${want.control}"]:not(:disabled)`) ?? shot?.querySelector<HTMLElement>('[data-control="prompt"]');
    el?.focus();
  }, [board]);
  const focusShot = (index: number, control: string) => (focusNext.current = { index, control });
  const move = (from: number, to: number, control: string) => {
    if (to < 0 || to >= board.shots.length) return;
    focusShot(to, control);
    moveShot(from, to);
  };

  return (
    <main className="storyboard-layout">
      <section className="panel storyboard" aria-labelledby={`${id}-title`}>
        <h2 className="panel-title" id={`${id}-title`}>Storyboard</h2>
        <p className="hint">
          Write a film shot by shot: each continues the one before, cuts to something new, or starts from a picture. Reorder by dragging ⠿, with
          Move up and Move down, or with Alt+↑ and Alt+↓ inside a shot.
        </p>
        <OpenedNotice />
        <div className="board-fields">
          <div className="field">
            <label htmlFor={`${id}-name`}>Title</label>
            <input id={`${id}-name`} value={board.title} maxLength={BOARD_LIMITS.titleChars} onChange={(e) => setBoardTitle(e.target.value)} />
          </div>
          <NumberField label="Board seed" value={board.seed} problem={seedProblem} commit={(v) => v !== undefined && setBoardSeed(v)} hint="Shots without a seed of their own use it." />
          <label className="checkbox">
            <input type="checkbox" checked={board.burnCaptions} onChange={(e) => setBurnCaptions(e.target.checked)} />
            Burn captions into the picture (otherwise a subtitle track)
          </label>
        </div>
        <ol className="shots" ref={list}>
          {board.shots.map((shot, i) => (
            <li
              key={i}
              data-shot={i}
              onDragOver={(e) => e.dataTransfer.types.includes(DRAG_TYPE) && (e.preventDefault(), e.currentTarget.classList.add('drop-target'))}
              onDragLeave={(e) => e.currentTarget.classList.remove('drop-target')}
              onDrop={(e) => {
                e.currentTarget.classList.remove('drop-target');
                const from = Number(e.dataTransfer.getData(DRAG_TYPE));
                if (!Number.isInteger(from)) return;
                e.preventDefault();
                move(from, i, 'prompt');
              }}
            >
              <ShotCard
                index={i}
                shot={shot}
                count={board.shots.length}
                boardSeed={board.seed}
                span={timeline?.shots[i] ?? null}
                fps={fps}
                status={status(i)}
                issues={issuesOf(i)}
                move={move}
                focusShot={focusShot}
                onGripDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, String(i));
                  e.dataTransfer.effectAllowed = 'move';
                }}
                busy={filmStatus === 'making'}
              />
            </li>
          ))}
        </ol>
        <div className="actions">
          <button
            type="button"
            disabled={board.shots.length >= BOARD_LIMITS.shots.max}
            onClick={() => (focusShot(board.shots.length, 'prompt'), addShot())}
          >
            Add shot
          </button>
          {board.shots.length >= BOARD_LIMITS.shots.max && <span className="hint">A board holds at most {BOARD_LIMITS.shots.max} shots.</span>}
        </div>
        <p className="visually-hidden" role="status">{announcement}</p>
      </section>
      <div className="column">
        <FilmPanel timeline={timeline} madeCount={plan ? plan.filter((p) => made.has(p.key)).length : 0} />
        <BoardFilePanel />
      </div>
    </main>
  );
}
