import { useKineto } from '../../store';

/** The Step and Frame sliders and the numbers of the selected step: t, σ_t and "step k of N". */
export function StepControls() {
  const run = useKineto((s) => s.lab.run);
  const position = useKineto((s) => s.lab.position);
  const frame = useKineto((s) => s.lab.frame);
  const playing = useKineto((s) => s.lab.playing);
  const setPosition = useKineto((s) => s.setLabPosition);
  const setFrame = useKineto((s) => s.setLabFrame);
  const togglePlay = useKineto((s) => s.toggleLabPlay);
  if (!run || run.recorded.length === 0) return <p className="lab-hint">Press Run to record a run, then step through it here.</p>;
  const r = run.recorded[position]!;
  return (
    <div className="lab-step-controls">
      <label className="lab-slider">
        <span>Step</span>
        <input type="range" aria-label="Step" min={0} max={run.recorded.length - 1} value={position}
          aria-valuetext={`step ${r.index + 1} of ${run.totalSteps}`} onChange={(e) => setPosition(Number(e.target.value))} />
      </label>
      <label className="lab-slider">
        <span>Frame</span>
        <input type="range" aria-label="Frame" min={0} max={run.params.frames - 1} value={frame}
          aria-valuetext={`frame ${frame + 1} of ${run.params.frames}`} onChange={(e) => setFrame(Number(e.target.value))} />
      </label>
      <button type="button" className="secondary" aria-pressed={playing} onClick={togglePlay}>{playing ? 'Pause' : 'Play frames'}</button>
      <p className="lab-numbers" data-testid="lab-step-numbers" aria-live="polite">
        <span>step {r.index + 1} of {run.totalSteps}</span>
        <span data-testid="lab-t">t = {Number.isInteger(r.timestep) ? r.timestep : r.timestep.toFixed(1)}</span>
        <span>σ<sub>t</sub> = {r.sigma.toFixed(3)}</span>
        <span>frame {frame + 1} of {run.params.frames}</span>
      </p>
    </div>
  );
}
