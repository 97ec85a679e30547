/** The six Lab views; each renders store state only. The Step view ends with the finished clip's Sound strip. */
import { SCHEDULER_LABELS } from '../../engine/schedulers';
import { SCHEDULER_KINDS, type SchedulerKind } from '../../engine/types';
import { useKineto } from '../../store';
import { COMPARE_GUIDANCE, COMPARE_KINDS, type CompareKind } from '../lab-settings';
import { positionNearest } from '../load-planner';
import { pipelineStages } from '../pipeline-stages';
import { LabImageView } from './LabImageView';
import { ScheduleChart } from './ScheduleChart';
import { SoundStrip } from './SoundStrip';
import { StepControls } from './StepControls';

export function PipelineView() {
  const manifest = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest : null));
  const settings = useKineto((s) => s.lab.settings);
  const stage = useKineto((s) => s.lab.stage);
  const run = useKineto((s) => s.lab.run);
  if (!manifest) return <p className="lab-hint">The model is loading…</p>;
  const stages = pipelineStages(manifest, run?.params ?? { ...settings, fps: manifest.defaults.fps, outputSize: manifest.defaults.outputSize });
  return (
    <div className="lab-pipeline">
      <ol className="lab-stages">
        {stages.map((s) => (
          <li key={s.name} className={s.name === stage ? 'active' : undefined} aria-current={s.name === stage ? 'step' : undefined}>
            <strong>{s.label}</strong>
            <code>{s.shape}</code>
            <span>{s.note}</span>
          </li>
        ))}
      </ol>
      {run && (
        <div>
          <h3>Tokens of “{run.params.prompt}”</h3>
          <ul className="lab-tokens" aria-label="Tokens">
            {run.tokens.map((t, i) => (
              <li key={i} className={t.unknown ? 'unknown' : undefined}>
                <span>{t.text}</span> <code>{t.id}</code>
                {t.unknown && <em> unknown word</em>}
              </li>
            ))}
          </ul>
          {run.truncatedWords > 0 && <p>{run.truncatedWords} tokens did not fit and were dropped.</p>}
        </div>
      )}
    </div>
  );
}

export function ScheduleView() {
  const chart = useKineto((s) => s.lab.chart);
  const overlay = useKineto((s) => s.lab.overlay);
  const problem = useKineto((s) => s.lab.chartProblem);
  const kind = useKineto((s) => s.lab.settings.scheduler);
  const overlayKind = useKineto((s) => s.lab.overlayScheduler);
  const setOverlay = useKineto((s) => s.setOverlayScheduler);
  return (
    <div>
      <label className="lab-inline">
        Overlay scheduler{' '}
        <select value={overlayKind ?? ''} onChange={(e) => setOverlay(e.target.value === '' ? null : (e.target.value as SchedulerKind))}>
          <option value="">none</option>
          {SCHEDULER_KINDS.map((k) => <option key={k} value={k}>{SCHEDULER_LABELS[k]}</option>)}
        </select>
      </label>
      {problem && <p role="alert" className="lab-problem">{problem}</p>}
      {chart ? <ScheduleChart chart={chart} overlay={overlay} kind={kind} overlayKind={overlayKind} /> : !problem && <p className="lab-hint">The model is loading…</p>}
    </div>
  );
}

export function StepView() {
  const v = useKineto((s) => s.lab.stepView);
  const latent = useKineto((s) => s.lab.run?.latentSpace ?? true);
  return (
    <div>
      <StepControls />
      <div className="lab-triptych">
        <LabImageView image={v?.xt ?? null} label={latent ? 'x_t decoded: what the model saw' : 'x_t: what the model saw'} testId="lab-xt" />
        <LabImageView image={v?.xtChannels ?? null} label={latent ? 'x_t latent channels (false colour)' : 'x_t channels R, G, B (false colour)'} />
        <LabImageView image={v?.eps ?? null} label="ε̂: the noise it predicted" />
        <LabImageView image={v?.x0 ?? null} label="x̂0: its guess of the finished clip" testId="lab-x0" />
      </div>
      <SoundStrip />
    </div>
  );
}

export function GuidanceView() {
  const v = useKineto((s) => s.lab.stepView);
  const runs = useKineto((s) => s.lab.guidanceRuns);
  const views = useKineto((s) => s.lab.guidanceViews);
  const busy = useKineto((s) => s.lab.status !== 'idle');
  const compare = useKineto((s) => s.compareGuidance);
  const scale = useKineto((s) => s.lab.run?.params.guidanceScale);
  return (
    <div>
      <StepControls />
      {v && !v.guidance && <p className="lab-hint">This run has guidance {scale}: with guidance 1 there is only one prediction. Set Guidance above 1 and run again.</p>}
      {v?.guidance && (
        <div className="lab-triptych">
          <LabImageView image={v.guidance.uncond} label="Without the prompt (x̂0)" />
          <LabImageView image={v.guidance.cond} label="With the prompt (x̂0)" />
          <LabImageView image={v.guidance.difference} label="Difference, brightest = largest change" />
        </div>
      )}
      <p className="lab-sentence">Guidance takes the step in the direction “with the prompt” minus “without it”, made {scale ?? 'w'} times longer, so the clip follows the words more closely.</p>
      <button type="button" onClick={() => void compare()} disabled={busy}>Compare guidance</button>
      {runs.length > 0 && (
        <div className="lab-triptych" data-testid="guidance-compare">
          {runs.map((r, i) => (
            <LabImageView key={r.runId} image={views[i]?.x0 ?? null} label={`Guidance ${COMPARE_GUIDANCE[i]}: x̂0`} />
          ))}
        </div>
      )}
    </div>
  );
}

export function CompareView() {
  const kind = useKineto((s) => s.lab.compareKind);
  const value = useKineto((s) => s.lab.compareValue);
  const runs = useKineto((s) => s.lab.compareRuns);
  const position = useKineto((s) => s.lab.comparePosition);
  const views = useKineto((s) => s.lab.compareViews);
  const busy = useKineto((s) => s.lab.status !== 'idle');
  const setCompare = useKineto((s) => s.setCompare);
  const run = useKineto((s) => s.runCompare);
  const setPosition = useKineto((s) => s.setComparePosition);
  const label = { prompt: 'Prompt', scheduler: 'Scheduler', steps: 'Steps' } as const;
  const a = runs?.[0];
  const b = runs?.[1];
  const ra = a?.recorded[position];
  const rb = a && b && ra ? b.recorded[positionNearest(b, ra.timestep)] : undefined;
  return (
    <div>
      <div className="lab-row">
        <label className="lab-inline">
          Run B differs in{' '}
          <select value={kind} onChange={(e) => setCompare(e.target.value as CompareKind, e.target.value === 'scheduler' ? 'euler' : e.target.value === 'steps' ? '10' : '')}>
            {COMPARE_KINDS.map((k) => <option key={k} value={k}>{label[k]}</option>)}
          </select>
        </label>
        {kind === 'scheduler' ? (
          <label className="lab-inline">
            Run B scheduler{' '}
            <select value={value} onChange={(e) => setCompare(kind, e.target.value)}>
              {SCHEDULER_KINDS.map((k) => <option key={k} value={k}>{SCHEDULER_LABELS[k]}</option>)}
            </select>
          </label>
        ) : (
          <label className="lab-inline">
            Run B {label[kind].toLowerCase()}{' '}
            <input type={kind === 'steps' ? 'number' : 'text'} value={value} onChange={(e) => setCompare(kind, e.target.value)} />
          </label>
        )}
        <button type="button" onClick={() => void run()} disabled={busy}>Run comparison</button>
      </div>
      {a && b && ra && rb && (
        <>
          <label className="lab-slider">
            <span>Compare step</span>
            <input type="range" aria-label="Compare step" min={0} max={a.recorded.length - 1} value={position} onChange={(e) => setPosition(Number(e.target.value))} />
          </label>
          <div className="lab-pair">
            <LabImageView image={views[0]?.x0 ?? null} label={`A: step ${ra.index + 1} of ${a.totalSteps}, t = ${Math.round(ra.timestep)} (${SCHEDULER_LABELS[a.params.scheduler]})`} />
            <LabImageView image={views[1]?.x0 ?? null} label={`B: step ${rb.index + 1} of ${b.totalSteps}, t = ${Math.round(rb.timestep)} (${SCHEDULER_LABELS[b.params.scheduler]})`} />
          </div>
        </>
      )}
    </div>
  );
}

export function ForwardView() {
  const t = useKineto((s) => s.lab.forwardTimestep);
  const forward = useKineto((s) => s.lab.forward);
  const run = useKineto((s) => s.lab.run);
  const n = useKineto((s) => (s.model.status === 'ready' ? s.model.manifest.scheduler.numTrainTimesteps : 1000));
  const setT = useKineto((s) => s.setForwardTimestep);
  if (!run) return <p className="lab-hint">Press Run first: the forward process starts from the finished clip.</p>;
  return (
    <div>
      <label className="lab-slider">
        <span>Noise level t</span>
        <input type="range" aria-label="Noise level t" min={0} max={n - 1} value={t} onChange={(e) => setT(Number(e.target.value))} />
      </label>
      <p className="lab-numbers">
        <span>t = {t}</span>
        {forward && <span>√ᾱ = {forward.alpha.toFixed(3)}, √(1−ᾱ) = {forward.sigma.toFixed(3)}</span>}
      </p>
      <div className="lab-pair">
        <LabImageView image={forward?.image ?? null} label={`The finished clip noised to t = ${forward?.timestep ?? t}`} testId="lab-forward" />
      </div>
    </div>
  );
}
