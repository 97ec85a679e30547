import { useShallow } from 'zustand/react/shallow';
import { runProgress, useKineto } from '../store';

/** The generation bar and its one-line description of what the worker is doing. */
export function ProgressPanel() {
  const { percent, label } = useKineto(useShallow((s) => runProgress(s.run)));
  const timings = useKineto((s) => (s.run.outcome === 'done' ? (s.result?.timings ?? null) : null));
  const line = timings ? `${label} in ${timings.totalSeconds.toFixed(1)} s` : label;
  return (
    <section className="panel progress-panel">
      <div
        className="bar"
        role="progressbar"
        aria-label="Generation progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}% — ${line}`}
      >
        <div className="bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="progress-line">{line}</p>
    </section>
  );
}
