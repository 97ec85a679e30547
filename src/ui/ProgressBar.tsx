/**
 * A labelled progress bar. The fill steps without a transition and is scaled with `transform`, not sized with
 * `width`: an animated width laid the page out on every frame, which on a 2-core machine took CPU from the model
 * running beside it (docs/SPEED.md).
 */
export function ProgressBar({ label, percent, valueText, thin = false }: { label: string; percent: number; valueText: string; thin?: boolean }) {
  return (
    <div
      className={thin ? 'bar bar-thin' : 'bar'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
    >
      <div className="bar-fill" style={{ transform: `scaleX(${Math.min(100, Math.max(0, percent)) / 100})` }} />
    </div>
  );
}
