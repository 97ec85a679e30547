import { useEffect } from 'react';
import { useKineto } from '../../store';
import { CAPTIONS } from '../captions';
import { LAB_VIEWS, type LabViewName } from '../lesson-link';
import '../lab.css';
import { Caption } from './Caption';
import { LabControls } from './LabControls';
import { ConditioningView } from './ConditioningView';
import { CompareView, ForwardView, GuidanceView, PipelineView, ScheduleView, StepView } from './Views';

const VIEWS: Record<LabViewName, () => React.JSX.Element> = {
  pipeline: PipelineView, schedule: ScheduleView, step: StepView, guidance: GuidanceView, compare: CompareView, forward: ForwardView,
  conditioning: ConditioningView,
};

/** Keys that belong to the focused control rather than to the Lab. */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return target.type !== 'range' || key !== ' ';
  return target instanceof HTMLButtonElement && (key === ' ' || key === 'Enter');
}

/** The Lab: settings, seven views with captions, the step controls, exports, lesson link and presentation mode. */
export function LabPage() {
  const view = useKineto((s) => s.lab.view);
  const presenting = useKineto((s) => s.lab.presenting);
  const messages = useKineto((s) => s.lab.messages);
  const error = useKineto((s) => s.lab.error);
  const run = useKineto((s) => s.lab.run);
  const exports = useKineto((s) => s.lab.exports);
  const busy = useKineto((s) => s.lab.status !== 'idle');
  const lessonLink = useKineto((s) => s.lessonLink());
  const a = useKineto.getState();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || ownsKey(e.target, e.key)) return;
      const s = useKineto.getState();
      const digit = Number(e.key);
      if (Number.isInteger(digit) && digit >= 1 && digit <= LAB_VIEWS.length) s.setLabView(LAB_VIEWS[digit - 1]!);
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        if (e.target instanceof HTMLInputElement) return; // a focused slider moves itself
        s.setLabPosition(s.lab.position + (e.key === 'ArrowRight' ? 1 : -1));
      } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        if (e.target instanceof HTMLInputElement) return;
        s.setLabFrame(s.lab.frame + (e.key === 'ArrowUp' ? 1 : -1));
      } else if (e.key === ' ') s.toggleLabPlay();
      else if (e.key === 'Escape' && s.lab.presenting) s.setPresenting(false);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    const onFullscreen = () => {
      if (!document.fullscreenElement) useKineto.getState().setPresenting(false);
    };
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
    };
  }, []);

  const present = () => {
    a.setPresenting(true);
    void document.documentElement.requestFullscreen?.().catch(() => {});
  };
  const leave = () => {
    a.setPresenting(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  };
  const View = VIEWS[view];
  return (
    <main className={presenting ? 'lab lab-presenting' : 'lab'} aria-label="Kineto Lab">
      {!presenting && (
        <>
          <p className="lab-intro">Watch diffusion turn a prompt into a clip, one step at a time. Keys: 1–7 views, ←/→ step, ↑/↓ frame, space plays.</p>
          <LabControls />
        </>
      )}
      {(messages.length > 0 || error) && (
        <div className="lab-messages" role="alert">
          {messages.map((m) => <p key={m}>{m}</p>)}
          {error && <p>{error.message}</p>}
          <button type="button" className="secondary" onClick={a.dismissLabMessages}>Dismiss</button>
        </div>
      )}
      <div className="lab-tabs" role="tablist" aria-label="Lab views">
        {LAB_VIEWS.map((v, i) => (
          <button key={v} type="button" role="tab" id={`lab-tab-${v}`} aria-selected={v === view} aria-controls="lab-panel"
            onClick={() => a.setLabView(v)}>
            <span aria-hidden="true">{i + 1} </span>{CAPTIONS[v].title}
          </button>
        ))}
      </div>
      <section id="lab-panel" role="tabpanel" aria-labelledby={`lab-tab-${view}`} className="lab-panel">
        <div className="lab-view"><View /></div>
        <Caption view={view} />
      </section>
      <div className="lab-footer">
        {presenting ? (
          <button type="button" className="secondary" onClick={leave}>Leave presentation</button>
        ) : (
          <button type="button" className="secondary" onClick={present}>Presentation mode</button>
        )}
        {!presenting && (
          <>
            <a className="lab-lesson" href={lessonLink}>Lesson link</a>
            <button type="button" className="secondary" disabled={!run || busy} onClick={() => void a.labExport('film')}>Export denoising film</button>
            <button type="button" className="secondary" disabled={!run || busy} onClick={() => void a.labExport('sheet')}>Export contact sheet</button>
            <button type="button" className="secondary" disabled={!run} onClick={() => void a.labExport('json')}>Export run JSON</button>
            {exports.map((x) => (
              <a key={x.kind} href={x.url} download={x.fileName} data-testid={`lab-export-${x.kind}`}>
                Download {x.kind === 'film' ? `film (${x.frameCount} frames)` : x.kind === 'sheet' ? 'contact sheet' : 'run JSON'}
              </a>
            ))}
            {run && <p className="lab-memory">Record: {(run.recordBytes / 2 ** 20).toFixed(1)} MB of {run.budgetBytes / 2 ** 20} MB{run.stride > 1 ? `, every ${run.stride}th step` : ', every step'}{run.stopped ? '; the run stopped early' : ''}.</p>}
          </>
        )}
      </div>
    </main>
  );
}
