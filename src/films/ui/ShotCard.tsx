import { useId, useRef, useState } from 'react';
import { useKineto } from '../../store';
import { BOARD_LIMITS, crossfadeFrames, isImageStart, type Shot } from '../board';
import { crossfadeProblem, secondsProblem, seedProblem } from '../parse-board';
import { missingPicture } from '../storyboard-slice';
import type { ShotSpan } from '../timeline';
import { NumberField } from './NumberField';

/** Where a shot stands in the film being made (how far the shot being made is, `MakingPercent` reads itself). */
export type ShotStatus = { state: 'made' } | { state: 'making' } | { state: 'to make' };

/**
 * "Making… 42%": the one part of the board that changes at every denoising step, so it alone follows the progress
 * (the board re-rendering at every step blocked the page for tens of milliseconds at a time).
 */
function MakingPercent() {
  const fraction = useKineto((s) => s.storyboard.film.current?.fraction ?? 0);
  return <>Making… {Math.round(fraction * 100)}%</>;
}

type Props = {
  index: number;
  shot: Shot;
  count: number;
  boardSeed: number;
  /** Its place on the timeline, once the model's fps is known. */
  span: ShotSpan | null;
  fps: number | null;
  status: ShotStatus | null;
  /** Generate film's problems with this shot, by field (`prompt`, `start.image`, `transition.crossfade`). */
  issues: Record<string, string>;
  /** Moves the shot; `control` is the control to focus afterwards in its new place. */
  move(from: number, to: number, control: string): void;
  /** Focuses `control` of shot `index` once the board has changed. */
  focusShot(index: number, control: string): void;
  onGripDragStart(e: React.DragEvent): void;
  busy: boolean;
};

/** "0:02.5" */
export function clock(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  return `${Math.floor(tenths / 600)}:${String(Math.floor(tenths / 10) % 60).padStart(2, '0')}.${tenths % 10}`;
}

/** "type what the shot shows" → "Type what the shot shows." */
const sentence = (message: string) => `${message[0]?.toUpperCase() ?? ''}${message.slice(1)}.`;

const START_LABELS = { continue: 'Continue', cut: 'Cut', image: 'From an image' } as const;
type StartChoice = keyof typeof START_LABELS;

/** One shot of the board: a group named "Shot N" with its prompt, length, start, transition, caption and buttons. */
export function ShotCard({ index, shot, count, boardSeed, span, fps, status, issues, move, focusShot, onGripDragStart, busy }: Props) {
  const id = useId();
  const { editShot, duplicateShot, deleteShot, chooseShotPicture, regenerateShot } = useKineto.getState();
  const pictureInput = useRef<HTMLInputElement>(null);
  const [wantsPicture, setWantsPicture] = useState(false);
  const n = index + 1;
  const choice: StartChoice = isImageStart(shot.start) || wantsPicture ? 'image' : shot.start;
  const missing = missingPicture(shot);
  const fade = crossfadeFrames(shot.transition);
  const text = (field: 'prompt' | 'caption', label: string, max: number, placeholder: string) => (
    <div className="field">
      <label htmlFor={`${id}-${field}`}>{label}</label>
      <textarea
        id={`${id}-${field}`}
        rows={2}
        maxLength={max}
        value={shot[field] ?? ''}
        placeholder={placeholder}
        data-control={field}
        aria-invalid={issues[field] ? true : undefined}
        aria-describedby={issues[field] ? `${id}-${field}-issue` : undefined}
        onChange={(e) => editShot(index, { [field]: e.target.value })}
      />
      {issues[field] && <span id={`${id}-${field}-issue`} className="field-issue">{sentence(issues[field])}</span>}
    </div>
  );

  return (
    <section
      className="shot"
      role="group"
      aria-labelledby={`${id}-title`}
      onKeyDown={(e) => {
        if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
        e.preventDefault();
        move(index, index + (e.key === 'ArrowUp' ? -1 : 1), (document.activeElement as HTMLElement | null)?.dataset.control ?? 'prompt');
      }}
    >
      <div className="shot-head">
        <span className="shot-grip" aria-hidden="true" title="Drag to reorder" draggable onDragStart={onGripDragStart}>
          ⠿
        </span>
        <h3 id={`${id}-title`} className="shot-title">Shot {n}</h3>
        {span && fps && (
          <span className="hint shot-time">
            {clock(span.first / fps)}–{clock((span.last + 1) / fps)} · frames {span.first + 1}–{span.last + 1}
          </span>
        )}
        {status && (
          <span className={`shot-status shot-${status.state.replace(' ', '-')}`}>
            {status.state === 'making' ? <MakingPercent /> : status.state === 'made' ? 'Made' : 'Not made yet'}
          </span>
        )}
      </div>
      {text('prompt', 'Prompt', BOARD_LIMITS.promptChars, 'What the shot shows')}
      <div className="shot-fields">
        <NumberField label="Seconds" value={shot.seconds} step={0.5} problem={secondsProblem} commit={(v) => v !== undefined && editShot(index, { seconds: v })} control="seconds" />
        <div className="field">
          <label htmlFor={`${id}-start`}>Start</label>
          <select
            id={`${id}-start`}
            value={choice}
            data-control="start"
            onChange={(e) => {
              const v = e.target.value as StartChoice;
              setWantsPicture(v === 'image');
              if (v !== 'image') editShot(index, { start: v });
            }}
          >
            {(Object.keys(START_LABELS) as StartChoice[]).map((k) => (
              <option key={k} value={k} disabled={k === 'continue' && index === 0}>
                {START_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {index > 0 && shot.start !== 'continue' && (
          <div className="field">
            <label htmlFor={`${id}-transition`}>Transition</label>
            <select
              id={`${id}-transition`}
              value={fade > 0 ? 'crossfade' : 'cut'}
              data-control="transition"
              onChange={(e) => editShot(index, { transition: e.target.value === 'cut' ? 'cut' : { crossfade: 4 } })}
            >
              <option value="cut">Cut</option>
              <option value="crossfade">Crossfade</option>
            </select>
          </div>
        )}
        {fade > 0 && (
          <NumberField
            label="Crossfade frames"
            value={fade}
            problem={crossfadeProblem}
            commit={(v) => v !== undefined && editShot(index, { transition: { crossfade: v } })}
            issue={issues['transition.crossfade'] && sentence(issues['transition.crossfade'])}
            control="crossfade"
          />
        )}
        <NumberField label="Seed" value={shot.seed} optional placeholder={`board's: ${boardSeed}`} problem={seedProblem} commit={(v) => editShot(index, { seed: v })} control="seed" />
      </div>
      {choice === 'image' && (
        <div className="shot-picture">
          {isImageStart(shot.start) && !missing && <img src={shot.start.image} alt={`Start picture of shot ${n}`} className="shot-thumb" />}
          <div className="shot-picture-text">
            <button type="button" className="secondary" data-control="picture" onClick={() => pictureInput.current?.click()}>
              {isImageStart(shot.start) ? 'Choose another picture…' : 'Choose picture…'}
            </button>
            <input
              ref={pictureInput}
              type="file"
              hidden
              accept="image/png,image/jpeg,image/webp"
              aria-label={`Picture for shot ${n}`}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void chooseShotPicture(index, file).then(() => setWantsPicture(false));
              }}
            />
            {isImageStart(shot.start) && !missing && <span className="hint">{shot.start.name ?? 'Picture chosen'}</span>}
            {missing && (
              <span className={issues['start.image'] ? 'field-issue' : 'hint hint-warn'}>
                {missing} is not in this browser (a link or file names it but cannot carry it): choose the picture.
              </span>
            )}
            {!isImageStart(shot.start) && (
              <span className="hint">Until a picture is chosen, the shot {shot.start === 'continue' ? 'continues the one before' : 'starts with a cut'}.</span>
            )}
          </div>
        </div>
      )}
      {text('caption', 'Caption', BOARD_LIMITS.captionChars, 'Dialogue or a note, shown as a subtitle')}
      <div className="shot-actions">
        <button type="button" className="secondary" data-control="up" disabled={index === 0} onClick={() => move(index, index - 1, index - 1 === 0 ? 'down' : 'up')}>
          Move up
        </button>
        <button type="button" className="secondary" data-control="down" disabled={index === count - 1} onClick={() => move(index, index + 1, index + 1 === count - 1 ? 'up' : 'down')}>
          Move down
        </button>
        <button type="button" className="secondary" data-control="duplicate" onClick={() => (duplicateShot(index), focusShot(index + 1, 'prompt'))}>
          Duplicate
        </button>
        <button type="button" className="secondary shot-delete" data-control="delete" disabled={count === 1} onClick={() => (deleteShot(index), focusShot(Math.min(index, count - 2), 'prompt'))}>
          Delete
        </button>
        {status?.state === 'made' && (
          <button type="button" className="secondary" data-control="regenerate" disabled={busy} onClick={() => void regenerateShot(index)}>
            Regenerate
          </button>
        )}
      </div>
    </section>
  );
}
