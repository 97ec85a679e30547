import { SCHEDULER_LABELS } from '../../engine/schedulers';
import { SCHEDULER_KINDS, type SchedulerKind } from '../../engine/types';
import { useKineto } from '../../store';
import { CONDITIONING_TASK } from '../conditioning-actions';
import type { LabSettings } from '../lab-settings';

type NumberKey = 'seed' | 'steps' | 'guidanceScale' | 'frames';
const NUMBERS: [NumberKey, string, number][] = [['seed', 'Seed', 1], ['steps', 'Steps', 1], ['guidanceScale', 'Guidance', 0.5], ['frames', 'Frames', 4]];

/** The run's settings, Run / Cancel and the progress line. */
export function LabControls() {
  const s = useKineto((st) => st.lab.settings);
  const status = useKineto((st) => st.lab.status);
  const task = useKineto((st) => st.lab.task);
  const progress = useKineto((st) => st.lab.progress);
  const ready = useKineto((st) => st.model.status === 'ready');
  const set = useKineto((st) => st.setLabSetting);
  const run = useKineto((st) => st.labRun);
  const cancel = useKineto((st) => st.labCancel);
  const num = (k: NumberKey, raw: string) => set(k, (raw.trim() === '' ? Number.NaN : Number(raw)) as LabSettings[NumberKey]);
  return (
    <form className="lab-controls" aria-label="Lab settings" onSubmit={(e) => { e.preventDefault(); void run(); }}>
      <label className="lab-field wide">
        Prompt <input type="text" value={s.prompt} onChange={(e) => set('prompt', e.target.value)} />
      </label>
      <label className="lab-field wide">
        Negative prompt <input type="text" value={s.negativePrompt} onChange={(e) => set('negativePrompt', e.target.value)} />
      </label>
      {NUMBERS.map(([k, label, step]) => (
        <label key={k} className="lab-field">
          {label} <input type="number" step={step} value={Number.isNaN(s[k]) ? '' : s[k]} onChange={(e) => num(k, e.target.value)} />
        </label>
      ))}
      <label className="lab-field">
        Scheduler{' '}
        <select aria-label="Scheduler" value={s.scheduler} onChange={(e) => set('scheduler', e.target.value as SchedulerKind)}>
          {SCHEDULER_KINDS.map((k) => <option key={k} value={k}>{SCHEDULER_LABELS[k]}</option>)}
        </select>
      </label>
      <div className="lab-actions">
        <button type="submit" disabled={!ready || status !== 'idle'}>Run</button>
        {status !== 'idle' && (task === 'Running' || task === CONDITIONING_TASK) || status === 'cancelling' ? (
          <button type="button" className="secondary" onClick={() => void cancel()} disabled={status === 'cancelling'}>Stop</button>
        ) : null}
        <p className="lab-status" role="status" data-testid="lab-status">
          {!ready ? 'Loading the model…' : status === 'idle' ? '' : `${status === 'cancelling' ? 'Stopping' : task}${progress && status === 'running' ? `: step ${progress.step} of ${progress.totalSteps}` : ''}`}
        </p>
      </div>
    </form>
  );
}
