/**
 * The Conditioning view: a continuation window by window. Before a run it draws the plan (what each window will be
 * given); after one, the frames themselves: given frames outlined and hatched, made ones plain, the mask (1 given,
 * 0 made) drawn as a band over the strip, and sentences saying what each window was given and which method ran.
 */
import { useEffect, useMemo, useRef } from 'react';
import { useKineto } from '../../store';
import {
  CONDITIONING_SECONDS, CONDITIONING_START_LABELS, CONDITIONING_STARTS, type ConditioningRow, conditioningFrames, conditioningPlan,
  conditioningRows, type ConditioningStart, plannedMethods, secondsProblem,
} from '../conditioning';
import type { LabImage } from '../lab-protocol';

/** One strip frame on a canvas at native size, scaled up by CSS with square pixels. */
function StripFrame({ image }: { image: LabImage }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')?.putImageData(new ImageData(image.rgba, image.width, image.height), 0, 0);
  }, [image]);
  return <canvas ref={ref} className="lab-img" aria-hidden="true" />;
}

const ROLE_WORDS = { given: 'given', made: 'made', extra: 'dropped' } as const;

function WindowRow({ row, frames }: { row: ConditioningRow; frames: readonly LabImage[] }) {
  return (
    <li className="lab-window">
      <h3>
        {row.heading}
        <span className={`lab-method lab-method-${row.method}`}>{row.methodLabel}</span>
      </h3>
      <ol className="lab-strip" aria-label={`Frames of window ${row.index + 1}, with the mask`}>
        {row.cells.map((c) => {
          const image = c.frame === null ? undefined : frames[c.frame];
          return (
            <li key={c.position} className={`lab-cell lab-cell-${c.role}`}>
              <span className="visually-hidden">{c.label}</span>
              <span className="lab-mask" aria-hidden="true">{c.mask}</span>
              <span className="lab-cell-frame">{image ? <StripFrame image={image} /> : <span className="lab-img lab-img-empty" />}</span>
              <span className="lab-cell-tag" aria-hidden="true">{ROLE_WORDS[c.role]}</span>
            </li>
          );
        })}
      </ol>
      {row.sentences.map((s) => <p key={s} className="lab-window-text">{s}</p>)}
      {row.how && <p className="lab-window-text lab-window-how">{row.how}</p>}
    </li>
  );
}

export function ConditioningView() {
  const manifest = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest : null));
  const { start, seconds, result } = useKineto((s) => s.lab.conditioning);
  const run = useKineto((s) => s.lab.run);
  const busy = useKineto((s) => s.lab.status !== 'idle');
  const { setConditioningStart, setConditioningSeconds, runConditioning } = useKineto.getState();

  const problem = secondsProblem(seconds);
  const runFrames = run && !run.stopped ? run.params.frames : 0;
  // The last continuation as it ran, or else the plan of the one the settings ask for (drawn before it runs).
  const shown = useMemo(() => {
    if (!manifest) return null;
    if (result) {
      return { rows: conditioningRows(result.plan, result.windows, result, manifest.name), frames: result.frames, ran: true };
    }
    if (problem || (start !== 'text' && runFrames === 0)) return null;
    const s = { start, givenFrames: start === 'clip' ? runFrames : 0 };
    const plan = conditioningPlan(manifest.latent, conditioningFrames(seconds, manifest.defaults.fps), s);
    return { rows: conditioningRows(plan, plannedMethods(manifest, plan), s, manifest.name), frames: [], ran: false };
  }, [manifest, result, start, seconds, runFrames, problem]);

  if (!manifest) return <p className="lab-hint">The model is loading…</p>;
  return (
    <div className="lab-conditioning">
      <form className="lab-row" aria-label="Continuation" onSubmit={(e) => { e.preventDefault(); void runConditioning(); }}>
        <label className="lab-inline">
          Start from{' '}
          <select value={start} onChange={(e) => setConditioningStart(e.target.value as ConditioningStart)}>
            {CONDITIONING_STARTS.map((k) => <option key={k} value={k}>{CONDITIONING_START_LABELS[k]}</option>)}
          </select>
        </label>
        <label className="lab-inline">
          Seconds{' '}
          <input type="number" min={CONDITIONING_SECONDS.min} max={CONDITIONING_SECONDS.max} step={1} value={Number.isNaN(seconds) ? '' : seconds}
            onChange={(e) => setConditioningSeconds(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value))} />
        </label>
        <button type="submit" disabled={busy}>Run continuation</button>
      </form>
      {problem && <p role="alert" className="lab-problem">{problem}</p>}
      {start !== 'text' && runFrames === 0 && !result && <p className="lab-hint">Press Run first: this start takes the frames of the Lab’s run.</p>}
      {shown && (
        <>
          <p className="lab-hint lab-conditioning-summary">
            {shown.ran
              ? `What ran: ${result!.params.frames} frames in ${shown.rows.length} ${shown.rows.length === 1 ? 'window' : 'windows'}, ${result!.seconds.toFixed(1)} s. Outlined and hatched: given (mask 1); plain: made (mask 0).`
              : `The plan for ${seconds} s (${shown.rows.length} ${shown.rows.length === 1 ? 'window' : 'windows'}): press Run continuation to see the frames.`}
          </p>
          <ol className="lab-windows" aria-label="Windows">
            {shown.rows.map((r) => <WindowRow key={r.index} row={r} frames={shown.frames} />)}
          </ol>
        </>
      )}
    </div>
  );
}
