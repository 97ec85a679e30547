import { useShallow } from 'zustand/react/shallow';
import { runProgress, useKineto } from '../store';
import { ProgressBar } from './ProgressBar';

/** The generation bar and its one-line description of what the worker is doing. */
export function ProgressPanel() {
  const { percent, label } = useKineto(useShallow((s) => runProgress(s.run)));
  const timings = useKineto((s) => (s.run.outcome === 'done' ? (s.result?.facts.timings ?? null) : null));
  const line = timings ? `${label} in ${timings.totalSeconds.toFixed(1)} s` : label;
  return (
    <section className="panel progress-panel">
      <ProgressBar label="Generation progress" percent={percent} valueText={`${percent}% — ${line}`} />
      <p className="progress-line">{line}</p>
    </section>
  );
}
